#include "bonesim/sim/step.hpp"

#include <cmath>
#include <utility>

namespace bonesim {

namespace {
// Interval boundaries are tested with a tolerance of a millionth of a step so that
// step * dt rounding (0.1 + 0.2 != 0.3) never skips or doubles a record.
constexpr double kDayTolerance = 1e-9;
}  // namespace

bool is_due(double day_before, double day_after, double interval) {
  if (interval <= 0) return false;
  return std::floor((day_after + kDayTolerance) / interval) >
         std::floor((day_before + kDayTolerance) / interval);
}

Records records_due(double day_before, double day_after, const OutputConfig& o, bool closing) {
  if (closing) return {true, {true, true, true}, day_after > 0};
  Records r;
  r.metrics = is_due(day_before, day_after, o.metrics_interval_days);
  r.parts.lattice = is_due(day_before, day_after, o.lattice_interval_days);
  r.parts.fields = is_due(day_before, day_after, o.fields_interval_days);
  r.parts.cells = is_due(day_before, day_after, o.cells_interval_days);
  r.checkpoint = is_due(day_before, day_after, o.checkpoint_interval_days);
  return r;
}

void write_records(const Simulation& sim, const Config& cfg, const Records& r, RunOutput& out) {
  if (r.metrics) out.write_metrics(compute_metrics(sim, cfg));
  if (r.parts.any()) out.write_snapshot(sim, r.parts);
  if (r.checkpoint) out.write_checkpoint(sim);
}

StepWorkspace make_step_workspace(const Simulation& sim, const Config& cfg) {
  Mask bone = bone_mask(sim.lattice);
  SignallingSolvers solvers = make_signalling_solvers(bone, sim.lattice.voxel_size_um, cfg.fields);
  return {std::move(bone), std::move(solvers)};
}

void step(Simulation& sim, const Config& cfg, StepWorkspace& ws) {
  const double dt = cfg.run.dt_days;
  // 1. interventions        (issue 7: drugs, hormones, disease schedules)
  // 2. mechanics, when due  (issue 6: voxel finite elements, strain)
  // 3. signalling fields: transport, then sources, decay and binding (docs/MODEL.md,
  //    "Signalling fields"). Sources come from the cells of issue 5; until then none.
  advance_signalling(sim.fields, cfg.fields, ws.bone, SignallingSources{}, dt, ws.solvers);
  // 4. cell decisions       (issue 5: recruitment, motion, fate)
  // 5. remodelling          (issue 5: resorption and formation on the lattice)
  // 6. births and deaths    (issue 5)
  // 7. time
  ++sim.step;
  sim.day = double(sim.step) * dt;
}

}  // namespace bonesim
