// One time step of the model: ONE ordered list, in one place (docs/ARCHITECTURE.md),
// and what is recorded after it.
#pragma once

#include "bonesim/cells/cell_sources.hpp"
#include "bonesim/config/config.hpp"
#include "bonesim/fields/signalling.hpp"
#include "bonesim/sim/metrics.hpp"
#include "bonesim/sim/simulation.hpp"
#include "bonesim/sim/state.hpp"

namespace bonesim {

// Where a run's results go. Implemented at the edge (files, tests); the core only
// calls it, so it never touches a file format.
class RunOutput {
 public:
  virtual ~RunOutput() = default;
  virtual void write_metrics(const Metrics& m) = 0;
  virtual void write_snapshot(const Simulation& /*sim*/, SnapshotParts /*parts*/) {}
  virtual void write_checkpoint(const Simulation& /*sim*/) {}
  // After the last record of a step: what indexes the records (run.h5, run.xdmf) is
  // rewritten once per step, not once per record.
  virtual void end_records() {}
};

// What is written after a step.
struct Records {
  bool metrics = false;
  bool thickness = false;  // the metrics row measures Tb.Th, Tb.Sp, Tb.N
  SnapshotParts parts;
  bool checkpoint = false;
};

// True when a quantity recorded every `interval` days is due after moving from
// `day_before` to `day_after` (days). An interval of 0 is never due.
bool is_due(double day_before, double day_after, double interval);

// What falls due between two days under the output config. `closing` (the first
// state, the last step, or a stop) asks for everything: metrics with thickness, every
// part and, past day 0, a checkpoint.
Records records_due(double day_before, double day_after, const OutputConfig& o, bool closing);

// Measures and writes what `r` asks for. It refreshes the lattice's pit labels (derived
// output that no rule reads) before they are recorded.
void write_records(Simulation& sim, const Config& cfg, const Records& r, RunOutput& out);

// What the rules keep between steps that is not state: derived from the state and the
// config, rebuilt identically after a restart (so it is never checkpointed).
// Wall time spent in each phase of the step (seconds), for the end-of-run report.
struct PhaseTimes {
  double mechanics = 0;    // step 2: voxel finite elements, when due
  double fields = 0;       // step 3: sources, transport, decay, binding
  double cells = 0;        // step 4: cell decisions, births and deaths
  double remodelling = 0;  // step 5: resorption, formation, mineralisation
  double output = 0;       // metrics, snapshots, checkpoints (run_simulation)
  double total() const { return mechanics + fields + cells + remodelling + output; }
};

// Bone on the fields' grid (coarsen_bone of the lattice's classification).
Mask field_bone(const Simulation& sim);

struct StepWorkspace {
  Mask bone;                  // field_bone() as the field solvers were last built on
  SignallingSolvers solvers;  // one implicit solver per transported species
  CellSources sources;        // what the cells make this step (empty without cells)
  PhaseTimes times;           // accumulated by step()
};
StepWorkspace make_step_workspace(const Simulation& sim, const Config& cfg);

// Advances `sim` by one step of cfg.run.dt_days: the model's rules in their order.
void step(Simulation& sim, const Config& cfg, StepWorkspace& ws);

}  // namespace bonesim
