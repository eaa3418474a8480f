#include "bonesim/sim/run_loop.hpp"

#include <chrono>
#include <cmath>

namespace bonesim {

std::int64_t total_steps(const RunConfig& run) {
  return std::int64_t(std::ceil(run.days / run.dt_days - 1e-9));
}

RunStatus run_simulation(Simulation& sim, const Config& cfg, RunOutput& out,
                         const RunHooks& hooks) {
  const OutputConfig& o = cfg.run.output;
  const std::int64_t n = total_steps(cfg.run);
  StepWorkspace ws = make_step_workspace(sim, cfg);
  if (sim.step == 0) {
    write_records(sim, cfg, records_due(0, 0, o, true), out);
  } else {
    // A resumed run: the records of the step it resumes from, as an uninterrupted
    // run wrote them (the stop that made the checkpoint may have written more).
    Records r = records_due(double(sim.step - 1) * cfg.run.dt_days, sim.day, o, sim.step == n);
    r.checkpoint = false;
    write_records(sim, cfg, r, out);
  }
  auto report = [&](RunStatus status) {
    if (hooks.times) *hooks.times = ws.times;
    return status;
  };
  while (sim.step < n) {
    const double day_before = sim.day;
    step(sim, cfg, ws);
    if (hooks.on_step) hooks.on_step(sim, n);
    const bool last = sim.step == n;
    const bool stop = !last && hooks.stop_requested && hooks.stop_requested(sim);
    const auto written = std::chrono::steady_clock::now();
    write_records(sim, cfg, records_due(day_before, sim.day, o, last || stop), out);
    ws.times.output +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - written).count();
    if (stop) return report(RunStatus::kInterrupted);
  }
  return report(RunStatus::kCompleted);
}

}  // namespace bonesim
