// The time loop around step(): how many steps, when to stop early.
#pragma once

#include <cstdint>
#include <functional>

#include "bonesim/sim/step.hpp"

namespace bonesim {

enum class RunStatus { kCompleted, kInterrupted };

struct RunHooks {
  std::function<bool()> stop_requested;                          // checked after each step
  std::function<void(const Simulation&, std::int64_t)> on_step;  // (state, total steps)
};

// Number of steps that cover cfg.run.days (the last one may overrun by < dt).
std::int64_t total_steps(const RunConfig& run);

// Runs from sim's current step to the end of the run. An early stop returns after a
// complete step, with that step's metrics written (recorded even when not due).
RunStatus run_simulation(Simulation& sim, const Config& cfg, RunOutput& out, const RunHooks& hooks);

}  // namespace bonesim
