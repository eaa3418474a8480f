// One time step of the model: ONE ordered list, in one place (docs/ARCHITECTURE.md).
#pragma once

#include "bonesim/config/config.hpp"
#include "bonesim/morphometry/morphometry.hpp"
#include "bonesim/sim/simulation.hpp"

namespace bonesim {

// Where a run's results go. Implemented at the edge (files, tests); the core only
// calls it, so it never touches a file format.
class RunOutput {
 public:
  virtual ~RunOutput() = default;
  virtual void write_metrics(const Simulation& sim, const Morphometry& m) = 0;
};

// True when a quantity recorded every `interval` days is due after moving from
// `day_before` to `day_after` (both in days; day 0 is always due).
bool is_due(double day_before, double day_after, double interval);

// Measures the current state and hands it to `out` (metrics.csv row).
void record_metrics(const Simulation& sim, RunOutput& out);

// Advances `sim` by one step of cfg.run.dt_days.
void step(Simulation& sim, const Config& cfg, RunOutput& out);

}  // namespace bonesim
