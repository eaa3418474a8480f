// The runs of a sweep (docs/SWEEPS.md): every combination of the listed and ranged
// parameters (product or zip), crossed with the drawn points of the sampled ones, crossed
// with the replicates. The order is fixed by the sweep file alone, so run ids are stable
// across reruns, ranks and array tasks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bonesim/config/sweep_config.hpp"

namespace bonesim {

struct SweepRun {
  std::size_t index = 0;
  std::string id;                      // "run_000042"
  std::vector<std::string> overrides;  // the sweep's `set`, then key=value per parameter
  std::vector<std::string> values;     // per parameter, as YAML text
  std::vector<double> numbers;         // per parameter, NaN where not a number
  int replicate = 0;                   // run.seed = base seed + replicate
};

// The values of a listed or ranged parameter as YAML text (ranges: 15 significant digits).
std::vector<std::string> parameter_values(const SweepParameter& p);

// n points in [0, 1)^k: a Latin hypercube (each axis cut into n strata, one point in each,
// strata paired by random permutations) or independent uniforms, from the counter-based
// generator keyed by `seed`.
std::vector<std::vector<double>> unit_sample(int n, int k, bool latin_hypercube,
                                             std::uint64_t seed);

// Every run of the sweep, in order; `base_seed` is the base config's run.seed.
std::vector<SweepRun> plan_sweep(const SweepConfig& cfg, std::uint64_t base_seed);

}  // namespace bonesim
