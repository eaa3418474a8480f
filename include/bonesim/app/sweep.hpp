// `bonesim sweep SWEEP.yaml`: many runs of one base config (docs/SWEEPS.md). Each run is
// a child `bonesim run` process in its own directory, so a crash or a bad parameter
// combination costs that run only; its record says what happened. Runs go out to local
// job slots, to MPI ranks (dynamically, rank 0 handing out indices), or to the tasks of a
// SLURM job array (statically, by index).
#pragma once

#include <string>

namespace bonesim {

struct SweepOptions {
  std::string sweep_file;
  std::string output_dir;  // -o: overrides the sweep file's `output`
  int jobs = 1;            // --jobs: runs at once per process (per MPI rank)
  int threads = 0;         // --threads per run; 0 = this machine's cores / jobs
  bool emit_slurm = false;
  int slurm_tasks = 0;  // array size for --emit-slurm; 0 = min(runs, 64)
  bool collect = false;
  int task_index = -1;  // --task-index (or SLURM_ARRAY_TASK_ID): this task's share
  int task_count = 0;   // --task-count: runs i with i % task_count == task_index
  bool quiet = false;
  std::string executable;  // the bonesim program that runs each run
};

// Exit status: 0 when every run of this process's share is ok, 1 when some failed or
// were invalid (the others still ran), 2 for a bad sweep file, 130 / 143 interrupted.
int sweep_command(SweepOptions opt);

}  // namespace bonesim
