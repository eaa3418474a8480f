#include "bonesim/sim/step.hpp"

#include <chrono>
#include <cmath>
#include <utility>

#include "bonesim/cells/mineralisation.hpp"
#include "bonesim/cells/osteoblasts.hpp"
#include "bonesim/cells/osteoclasts.hpp"
#include "bonesim/cells/osteocytes.hpp"
#include "bonesim/cells/precursors.hpp"
#include "bonesim/cells/t_cells.hpp"
#include "bonesim/interventions/effects.hpp"
#include "bonesim/interventions/schedule.hpp"
#include "bonesim/mechanics/bone_mechanics.hpp"

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
  if (closing) return {true, true, {true, true, true}, day_after > 0};
  Records r;
  r.metrics = is_due(day_before, day_after, o.metrics_interval_days);
  // Thickness goes into the first row after each of its interval boundaries.
  r.thickness = r.metrics &&
                is_due(day_after - o.metrics_interval_days, day_after, o.thickness_interval_days);
  r.parts.lattice = is_due(day_before, day_after, o.lattice_interval_days);
  r.parts.fields = is_due(day_before, day_after, o.fields_interval_days);
  r.parts.cells = is_due(day_before, day_after, o.cells_interval_days);
  r.checkpoint = is_due(day_before, day_after, o.checkpoint_interval_days);
  return r;
}

void write_records(Simulation& sim, const Config& cfg, const Records& r, RunOutput& out) {
  if (r.metrics || r.parts.lattice || r.checkpoint) {
    // The pit map is output, read by no rule: measured only when it is recorded.
    PitAnalysis pits = analyse_pits(sim.lattice, sim.lattice.resorption_event);
    sim.lattice.pit_label = std::move(pits.label);
    if (r.metrics) out.write_metrics(compute_metrics(sim, cfg, pits.pits, r.thickness));
  }
  if (r.parts.any()) out.write_snapshot(sim, r.parts);
  if (r.checkpoint) out.write_checkpoint(sim);
  if (r.metrics || r.parts.any() || r.checkpoint) out.end_records();
}

Mask field_bone(const Simulation& sim) {
  return coarsen_bone(bone_mask(sim.lattice), int(sim.fields.coarsening));
}

StepWorkspace make_step_workspace(const Simulation& sim, const Config& cfg) {
  Mask bone = field_bone(sim);
  const double h = sim.lattice.voxel_size_um * double(sim.fields.coarsening);
  SignallingSolvers solvers = make_signalling_solvers(bone, h, cfg.fields);
  CellSources sources;
  if (cfg.cells.enabled) sources = make_cell_sources(bone.shape);
  return {std::move(bone), std::move(solvers), std::move(sources), PhaseTimes{}};
}

namespace {

// Closes the day's remodelling volumes and markers when the step ends a simulated day.
void close_day(Simulation& sim, const Config& cfg, const StepClock& c) {
  if (!is_due(c.day, c.day_after(), 1.0)) return;
  RemodellingTally& t = sim.remodelling;
  t.resorbed_um3_per_day = t.resorbed_um3;
  t.formed_um3_per_day = t.formed_um3;
  t.resorbed_um3 = t.formed_um3 = 0;
  close_marker_day(sim.markers, t, sim.lattice, cfg, std::round(c.day_after()));
}

// The field solvers follow the bone (on the field grid) whenever remodelling changed it.
void follow_bone(const Simulation& sim, StepWorkspace& ws) {
  Mask now = field_bone(sim);
  if (now.data == ws.bone.data) return;
  ws.bone = std::move(now);
  set_bone(ws.solvers, ws.bone);
}

// Days the fields advance in this step: the update interval when one starts with this
// step (the first step included), else 0; every step's dt when the interval is 0.
double field_step_days(const StepClock& c, double interval) {
  if (interval <= 0) return c.dt;
  return c.step == 0 || is_due(c.day - c.dt, c.day, interval) ? interval : 0.0;
}

// Adds the seconds since the last call to one phase's total.
class PhaseClock {
 public:
  void charge(double& phase) {
    const auto now = std::chrono::steady_clock::now();
    phase += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace

void step(Simulation& sim, const Config& cfg, StepWorkspace& ws) {
  const double dt = cfg.run.dt_days;
  const StepClock clock{cfg.run.seed, std::uint32_t(sim.step), sim.day, dt};
  // The cells' parameters of the day: hormones and disease change them (step 1).
  const CellsConfig cc = cells_of_the_day(cfg.cells, cfg.effects, cfg.interventions, sim.day);
  BoneLattice& lattice = sim.lattice;
  CellPopulations& cells = sim.cells;
  PhaseClock timer;
  // 1. interventions: the inputs of the day (docs/MODEL.md, "Interventions"): the load
  //    factor, and each drug's serum level over the step, injections included.
  const double load = load_factor(cfg.interventions, sim.day);
  // Each drug's free level in marrow over the step (pM), < 0 without injections of it.
  auto marrow_level = [&](const char* type, const DrugConfig& drug, PkState& pk) {
    const std::vector<DoseEvent> doses = dose_events(cfg.interventions, type, drug.pk.body_mass_kg);
    if (doses.empty()) return -1.0;
    advance_pk_with_doses(pk, drug.pk, doses, sim.day, double(sim.step + 1) * dt);
    return drug.marrow_serum_ratio * serum_pM(pk, drug.pk);
  };
  const double denosumab_pM = marrow_level("denosumab", cfg.drugs.denosumab, sim.denosumab);
  const double opg_fc_pM = marrow_level("opg_fc", cfg.drugs.opg_fc, sim.opg_fc);
  // 2. mechanics, when due: the habitual load cases on the current bone (docs/MODEL.md,
  //    "Mechanics").
  if (cfg.mechanics.enabled) {
    const double bone = bone_volume_um3(lattice);
    if (mechanics_due(sim.mechanics, cfg.mechanics, sim.day, bone)) {
      solve_bone_mechanics(sim.mechanics, lattice, int(sim.fields.coarsening), cfg.mechanics,
                           sim.day, bone);
    }
  }
  // What the cells sense of it: the strain of the last solve at the load of the day.
  const StrainStimulus sensed{&sim.mechanics.strain, int(sim.fields.coarsening), load,
                              &cfg.mechanics.osteocytes};
  const StrainStimulus* strain = cfg.mechanics.enabled ? &sensed : nullptr;
  timer.charge(ws.times.mechanics);
  // 3. signalling fields, every fields.update_interval_days: what the cells make, then
  //    transport, decay and binding (docs/MODEL.md, "Signalling fields").
  if (const double field_dt = field_step_days(clock, cfg.fields.update_interval_days);
      field_dt > 0) {
    SignallingSources sources;
    if (cc.enabled) {
      follow_bone(sim, ws);
      compute_cell_sources(cells, cc, lattice, int(sim.fields.coarsening), ws.sources, strain);
      sources = ws.sources.view();
    }
    sources.drug_held_pM = denosumab_pM;
    sources.opg_fc_held_pM = opg_fc_pM;
    advance_signalling(sim.fields, cfg.fields, ws.bone, sources, field_dt, ws.solvers);
  }
  timer.charge(ws.times.fields);
  if (cc.enabled) {
    // 4. cell decisions, births and deaths (docs/MODEL.md, "Cells")
    update_t_cells(cells.t_cells, lattice, cc.t_cells, clock);
    supply_precursors(cells, lattice, cc.precursors, clock, strain);
    const std::vector<Voxel> fusing =
        update_precursors(cells.precursors, lattice, sim.fields, cfg.fields, cc.precursors, clock);
    fuse_into_osteoclasts(cells, fusing, lattice, cc.osteoclasts, clock);
    timer.charge(ws.times.cells);
    // 5. remodelling of the lattice: resorption, then formation, then mineralisation
    update_osteoclasts(cells.osteoclasts, lattice, sim.fields, cfg.fields, cc.osteoclasts, clock,
                       sim.remodelling);
    remove_resorbed_osteocytes(cells.osteocytes, lattice);
    recruit_osteoblasts(cells, lattice, sim.fields, cc.osteoblasts, clock, strain);
    update_osteoblasts(cells, lattice, cc.osteoblasts, clock, sim.remodelling);
    mineralise(lattice, cc.mineralisation, clock);
    close_day(sim, cfg, clock);
    timer.charge(ws.times.remodelling);
  }
  // 6. time
  ++sim.step;
  sim.day = double(sim.step) * dt;
}

}  // namespace bonesim
