#include "bonesim/sim/run_loop.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace bonesim {
namespace {

struct Recorder : RunOutput {
  std::vector<double> days;
  std::vector<double> bv_tv;
  std::vector<double> tb_th;
  std::vector<std::pair<double, SnapshotParts>> snapshots;
  std::vector<double> checkpoints;
  void write_metrics(const Metrics& m) override {
    days.push_back(m.day);
    bv_tv.push_back(m.morphometry.bv_tv);
    tb_th.push_back(m.morphometry.tb_th_um);
  }
  void write_snapshot(const Simulation& sim, SnapshotParts p) override {
    snapshots.emplace_back(sim.day, p);
  }
  void write_checkpoint(const Simulation& sim) override { checkpoints.push_back(sim.day); }
};

Simulation small_sim() {
  Simulation s = make_simulation(make_lattice(12, 12, 12, 20.0), Config{});
  for (int k = 0; k < 12; ++k)
    for (int j = 0; j < 12; ++j)
      for (int i = 0; i < 3; ++i) s.lattice.bone(i, j, k) = 1.0f;
  mark_day0(s.lattice);
  return s;
}

TEST(IsDue, EveryIntervalBoundaryOnceDespiteRounding) {
  int hits = 0;
  double before = 0;
  for (int step = 1; step <= 100; ++step) {
    const double after = step * 0.1;  // 0.1 is not exact in binary
    hits += is_due(before, after, 1.0) ? 1 : 0;
    before = after;
  }
  EXPECT_EQ(hits, 10);
  EXPECT_TRUE(is_due(0.5, 2.5, 1.0));
  EXPECT_FALSE(is_due(1.0, 1.5, 1.0));
  EXPECT_FALSE(is_due(0.0, 100.0, 0.0));  // interval 0: only first and last
}

TEST(RunLoop, TotalStepsCoverTheRun) {
  RunConfig r;
  r.days = 3;
  r.dt_days = 0.25;
  EXPECT_EQ(total_steps(r), 12);
  r.dt_days = 0.7;  // the last step overruns by < dt
  EXPECT_EQ(total_steps(r), 5);
  r.days = 0;
  EXPECT_EQ(total_steps(r), 0);
}

TEST(RunLoop, RecordsDayZeroAndEachIntervalAndEndsOnTime) {
  Config cfg;
  cfg.run.days = 3;
  cfg.run.dt_days = 0.25;
  cfg.run.output.metrics_interval_days = 1;
  Simulation sim = small_sim();
  Recorder rec;
  EXPECT_EQ(run_simulation(sim, cfg, rec, {}), RunStatus::kCompleted);
  EXPECT_EQ(rec.days, (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(sim.step, 12);
  EXPECT_EQ(sim.day, 3.0);
  EXPECT_DOUBLE_EQ(rec.bv_tv.front(), 0.25);  // 3 of 12 layers are bone
}

TEST(RunLoop, StopRequestEndsAfterACompleteStepWithItsMetrics) {
  Config cfg;
  cfg.run.days = 10;
  cfg.run.dt_days = 0.5;
  Simulation sim = small_sim();
  Recorder rec;
  RunHooks hooks;
  int steps_seen = 0;
  hooks.on_step = [&](const Simulation&, std::int64_t total) {
    ++steps_seen;
    EXPECT_EQ(total, 20);
  };
  hooks.stop_requested = [&](const Simulation&) { return steps_seen == 3; };  // after day 1.5
  EXPECT_EQ(run_simulation(sim, cfg, rec, hooks), RunStatus::kInterrupted);
  EXPECT_EQ(sim.step, 3);
  EXPECT_EQ(rec.days, (std::vector<double>{0, 1, 1.5}));
  // The state we stop in is snapshotted whole and checkpointed, so it can be resumed.
  ASSERT_FALSE(rec.snapshots.empty());
  EXPECT_EQ(rec.snapshots.back().first, 1.5);
  EXPECT_EQ(rec.snapshots.back().second, (SnapshotParts{true, true, true}));
  EXPECT_EQ(rec.checkpoints, (std::vector<double>{1.5}));
}

TEST(RunLoop, EachPartFollowsItsOwnIntervalAndZeroMeansFirstAndLast) {
  Config cfg;
  cfg.run.days = 4;
  cfg.run.dt_days = 1;
  cfg.run.output.lattice_interval_days = 2;
  cfg.run.output.fields_interval_days = 0;
  cfg.run.output.cells_interval_days = 1;
  cfg.run.output.checkpoint_interval_days = 3;
  Simulation sim = small_sim();
  Recorder rec;
  EXPECT_EQ(run_simulation(sim, cfg, rec, {}), RunStatus::kCompleted);
  const std::vector<std::pair<double, SnapshotParts>> want = {{0, {true, true, true}},
                                                              {1, {false, false, true}},
                                                              {2, {true, false, true}},
                                                              {3, {false, false, true}},
                                                              {4, {true, true, true}}};
  EXPECT_EQ(rec.snapshots, want);
  EXPECT_EQ(rec.checkpoints, (std::vector<double>{3, 4}));
}

// Step 3 is advance_signalling on the lattice's bone classification: the run loop's
// fields equal a hand-made sequence of the same calls, bit for bit, and the recorded
// field means are those of the state.
TEST(RunLoop, ThicknessGoesIntoTheFirstRowAfterEachOfItsBoundaries) {
  Config cfg;
  cfg.run.days = 20;
  cfg.run.dt_days = 0.5;
  cfg.run.output.metrics_interval_days = 3;  // rows at 0, 3, ..., 18 and the last at 20
  cfg.run.output.thickness_interval_days = 5;
  Simulation sim = small_sim();
  Recorder rec;
  ASSERT_EQ(run_simulation(sim, cfg, rec, {}), RunStatus::kCompleted);
  ASSERT_EQ(rec.days, (std::vector<double>{0, 3, 6, 9, 12, 15, 18, 20}));
  std::vector<double> with;
  for (std::size_t r = 0; r < rec.days.size(); ++r) {
    if (!std::isnan(rec.tb_th[r])) {
      with.push_back(rec.days[r]);
      EXPECT_GT(rec.tb_th[r], 0.0);
    }
  }
  // Boundaries 5, 10, 15, 20 fall in the rows at 6, 12, 15 and 20; day 0 and the end.
  EXPECT_EQ(with, (std::vector<double>{0, 6, 12, 15, 20}));
}

TEST(RunLoop, StepAdvancesTheSignallingFields) {
  Config cfg;
  cfg.run.days = 2;
  cfg.run.dt_days = 0.5;
  cfg.fields.opg.boundary.x_max = "fixed";
  cfg.fields.opg.boundary.fixed_value_pM = 100;
  cfg.fields.rankl.boundary.all = "fixed";
  cfg.fields.rankl.boundary.fixed_value_pM = 5;
  cfg.cells.enabled = false;            // no cell sources: the fields alone
  cfg.fields.grid_coarsening = 1;       // on the lattice's grid,
  cfg.fields.update_interval_days = 0;  // every step
  Simulation sim = small_sim();
  sim.fields = make_signalling_fields(sim.lattice.shape, cfg.fields);
  Simulation manual = sim;
  struct Means : RunOutput {
    std::vector<FieldMetrics> rows;
    void write_metrics(const Metrics& m) override { rows.push_back(m.fields); }
  } rec;
  EXPECT_EQ(run_simulation(sim, cfg, rec, {}), RunStatus::kCompleted);

  const Mask bone = bone_mask(manual.lattice);
  SignallingSolvers solvers = make_signalling_solvers(bone, 20.0, cfg.fields);
  for (int s = 0; s < 4; ++s) {
    advance_signalling(manual.fields, cfg.fields, bone, {}, 0.5, solvers);
  }
  EXPECT_EQ(sim.fields.opg.data, manual.fields.opg.data);
  EXPECT_EQ(sim.fields.rankl.data, manual.fields.rankl.data);
  EXPECT_EQ(sim.fields.rankl_opg.data, manual.fields.rankl_opg.data);
  EXPECT_GT(sim.fields.opg(11, 5, 5), sim.fields.opg(3, 5, 5));  // made at x_max
  EXPECT_EQ(sim.fields.opg(1, 5, 5), 0.f);                       // inside bone (x < 3)
  ASSERT_EQ(rec.rows.size(), 3u);
  EXPECT_EQ(rec.rows.front().opg_pM, 0.0);
  const FieldMetrics last = field_metrics(sim.fields, cfg.fields, bone);
  EXPECT_EQ(rec.rows.back().opg_pM, last.opg_pM);
  EXPECT_GT(last.opg_pM, 1.0);
  EXPECT_GT(last.rank_occupancy, 0.0);
}

TEST(RunLoop, ZeroDayRunRecordsTheInitialState) {
  Config cfg;
  cfg.run.days = 0;
  Simulation sim = small_sim();
  Recorder rec;
  EXPECT_EQ(run_simulation(sim, cfg, rec, {}), RunStatus::kCompleted);
  EXPECT_EQ(rec.days, (std::vector<double>{0}));
}

}  // namespace
}  // namespace bonesim
