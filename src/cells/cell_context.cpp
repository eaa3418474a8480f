#include "bonesim/cells/cell_context.hpp"

#include <numbers>

namespace bonesim {

int poisson(double mean, std::uint64_t seed, std::uint64_t id, std::uint32_t step,
            Purpose purpose) {
  if (!(mean > 0)) return 0;
  if (mean > 50) {
    const auto u = uniform4(seed, id, step, purpose, 0);
    const double normal =
        std::sqrt(-2.0 * std::log(u[0])) * std::cos(2.0 * std::numbers::pi * u[1]);
    return std::max(0, int(std::lround(mean + std::sqrt(mean) * normal)));
  }
  // Inversion: walk the cumulative distribution until it passes one uniform number.
  const double u = uniform4(seed, id, step, purpose, 0)[0];
  double p = std::exp(-mean), cumulative = p;
  int n = 0;
  while (u > cumulative && n < 1000) {
    ++n;
    p *= mean / n;
    cumulative += p;
  }
  return n;
}

Position random_direction(double u1, double u2) {
  const double z = 2.0 * u1 - 1.0, r = std::sqrt(std::max(0.0, 1.0 - z * z));
  const double phi = 2.0 * std::numbers::pi * u2;
  return {r * std::cos(phi), r * std::sin(phi), z};
}

}  // namespace bonesim
