#include "bonesim/sim/step.hpp"

#include <cmath>

namespace bonesim {

namespace {
// Interval boundaries are tested with a tolerance of a millionth of a step so that
// step * dt rounding (0.1 + 0.2 != 0.3) never skips or doubles a record.
constexpr double kDayTolerance = 1e-9;
}  // namespace

bool is_due(double day_before, double day_after, double interval) {
  if (day_after <= kDayTolerance) return true;
  return std::floor((day_after + kDayTolerance) / interval) >
         std::floor((day_before + kDayTolerance) / interval);
}

void record_metrics(const Simulation& sim, RunOutput& out) {
  out.write_metrics(sim, compute_morphometry(bone_mask(sim.lattice), sim.lattice.voxel_size_um));
}

void step(Simulation& sim, const Config& cfg, RunOutput& out) {
  const double day_before = sim.day;

  // 1. interventions        (issue 7: drugs, hormones, disease schedules)
  // 2. mechanics, when due  (issue 6: voxel finite elements, strain)
  // 3. signalling fields    (issue 4: RANKL / OPG reaction-diffusion)
  // 4. cell decisions       (issue 5: recruitment, motion, fate)
  // 5. remodelling          (issue 5: resorption and formation on the lattice)
  // 6. births and deaths    (issue 5)
  ++sim.step;
  sim.day = double(sim.step) * cfg.run.dt_days;

  // 7. metrics
  if (is_due(day_before, sim.day, cfg.run.output.metrics_interval_days)) record_metrics(sim, out);
  // 8. output               (issue 3: snapshots and checkpoints)
}

}  // namespace bonesim
