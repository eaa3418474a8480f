// The time loop: steps, what is recorded after each, and how a run stops.
#pragma once

#include <cstdint>
#include <functional>

#include "bonesim/sim/step.hpp"

namespace bonesim {

enum class RunStatus { kCompleted, kInterrupted };

struct RunHooks {
  std::function<bool(const Simulation&)> stop_requested;         // checked after each step
  std::function<void(const Simulation&, std::int64_t)> on_step;  // (state, total steps)
  PhaseTimes* times = nullptr;  // when set, receives the time spent per phase
};

// Number of steps that cover cfg.run.days (the last one may overrun by < dt).
std::int64_t total_steps(const RunConfig& run);

// Runs from sim's current step to the end of the run. Step 0 records everything
// (metrics and every snapshot part). After each step, what is due is recorded; the
// last step, or a step after which a stop is requested, records everything and a
// checkpoint, so a stopped run can be resumed exactly where it stopped. A run that
// starts past step 0 (resumed from a checkpoint) first writes the records that an
// uninterrupted run wrote at that step, so both end with the same files.
RunStatus run_simulation(Simulation& sim, const Config& cfg, RunOutput& out, const RunHooks& hooks);

}  // namespace bonesim
