#include "bonesim/sweep/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "bonesim/core/random.hpp"

namespace bonesim {

namespace {

double as_number(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  return end != text.c_str() && *end == '\0' ? v : std::nan("");
}

// Uniform u in [0, 1) for (seed, point, axis); `draw` separates the two uses.
double draw01(std::uint64_t seed, int point, int axis, std::uint32_t draw) {
  return uniform4(seed, std::uint64_t(point), std::uint32_t(axis), Purpose::kSweepSample, draw)[0];
}

}  // namespace

std::vector<std::string> parameter_values(const SweepParameter& p) {
  if (!p.values.empty()) return p.values;
  std::vector<std::string> out;
  for (int i = 0; i < p.count; ++i) {
    const double t = p.count == 1 ? 0.0 : double(i) / double(p.count - 1);
    const double v = p.scale == "log"
                         ? std::exp(std::log(p.from) + t * (std::log(p.to) - std::log(p.from)))
                         : p.from + t * (p.to - p.from);
    out.push_back(fmt::format("{:.15g}", i == p.count - 1 ? p.to : v));
  }
  return out;
}

std::vector<std::vector<double>> unit_sample(int n, int k, bool latin_hypercube,
                                             std::uint64_t seed) {
  std::vector<std::vector<double>> points(static_cast<std::size_t>(n),
                                          std::vector<double>(static_cast<std::size_t>(k)));
  for (int axis = 0; axis < k; ++axis) {
    // Strata in a random order (Fisher-Yates with the axis's own draws).
    std::vector<int> stratum(static_cast<std::size_t>(n));
    std::iota(stratum.begin(), stratum.end(), 0);
    for (int i = n - 1; i > 0 && latin_hypercube; --i) {
      const int j = std::min(i, int(draw01(seed, i, axis, 1) * (i + 1)));
      std::swap(stratum[std::size_t(i)], stratum[std::size_t(j)]);
    }
    for (int p = 0; p < n; ++p) {
      const double u = draw01(seed, p, axis, 0);
      points[std::size_t(p)][std::size_t(axis)] =
          latin_hypercube ? (stratum[std::size_t(p)] + u) / n : u;
    }
  }
  return points;
}

std::vector<SweepRun> plan_sweep(const SweepConfig& cfg, std::uint64_t base_seed) {
  const std::size_t k = cfg.parameters.size();
  // Listed and ranged parameters: their value lists; the grid of index tuples.
  std::vector<std::size_t> listed, sampled;
  std::vector<std::vector<std::string>> values(k);
  for (std::size_t j = 0; j < k; ++j) {
    if (cfg.parameters[j].sampled()) {
      sampled.push_back(j);
    } else {
      listed.push_back(j);
      values[j] = parameter_values(cfg.parameters[j]);
    }
  }
  std::vector<std::vector<std::size_t>> grid{{}};  // one empty tuple: no listed parameter
  if (!listed.empty() && cfg.combine == "zip") {
    grid.clear();
    for (std::size_t i = 0; i < values[listed[0]].size(); ++i) {
      grid.emplace_back(listed.size(), i);
    }
  } else {
    for (std::size_t j : listed) {  // the last parameter varies fastest
      std::vector<std::vector<std::size_t>> next;
      for (const auto& tuple : grid) {
        for (std::size_t i = 0; i < values[j].size(); ++i) {
          next.push_back(tuple);
          next.back().push_back(i);
        }
      }
      grid = std::move(next);
    }
  }
  const int points = sampled.empty() ? 1 : cfg.samples;
  const auto unit =
      unit_sample(points, int(sampled.size()), cfg.sampling == "latin_hypercube", cfg.seed);
  std::vector<SweepRun> runs;
  for (const auto& tuple : grid) {
    for (int s = 0; s < points; ++s) {
      for (int r = 0; r < cfg.replicates; ++r) {
        SweepRun run;
        run.index = runs.size();
        run.id = fmt::format("run_{:06d}", run.index);
        run.replicate = r;
        run.values.resize(k);
        for (std::size_t a = 0; a < listed.size(); ++a) {
          run.values[listed[a]] = values[listed[a]][tuple[a]];
        }
        for (std::size_t a = 0; a < sampled.size(); ++a) {
          const SweepParameter& p = cfg.parameters[sampled[a]];
          const double u = unit[std::size_t(s)][a];
          const double v =
              p.distribution == "log_uniform"
                  ? std::exp(std::log(p.low) + u * (std::log(p.high) - std::log(p.low)))
                  : p.low + u * (p.high - p.low);
          run.values[sampled[a]] = fmt::format("{:.15g}", v);
        }
        run.overrides = cfg.set;
        for (std::size_t j = 0; j < k; ++j) {
          run.overrides.push_back(cfg.parameters[j].key + "=" + run.values[j]);
          run.numbers.push_back(as_number(run.values[j]));
        }
        run.overrides.push_back(fmt::format("run.seed={}", base_seed + std::uint64_t(r)));
        runs.push_back(std::move(run));
      }
    }
  }
  return runs;
}

}  // namespace bonesim
