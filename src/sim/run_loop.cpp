#include "bonesim/sim/run_loop.hpp"

#include <cmath>

namespace bonesim {

std::int64_t total_steps(const RunConfig& run) {
  return std::int64_t(std::ceil(run.days / run.dt_days - 1e-9));
}

RunStatus run_simulation(Simulation& sim, const Config& cfg, RunOutput& out,
                         const RunHooks& hooks) {
  const std::int64_t n = total_steps(cfg.run);
  if (sim.step == 0) record_metrics(sim, out);
  while (sim.step < n) {
    const double day_before = sim.day;
    step(sim, cfg, out);
    if (hooks.on_step) hooks.on_step(sim, n);
    if (sim.step < n && hooks.stop_requested && hooks.stop_requested()) {
      if (!is_due(day_before, sim.day, cfg.run.output.metrics_interval_days)) {
        record_metrics(sim, out);  // the state we stop in, so nothing is lost
      }
      return RunStatus::kInterrupted;
    }
  }
  return RunStatus::kCompleted;
}

}  // namespace bonesim
