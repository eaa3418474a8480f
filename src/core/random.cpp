#include "bonesim/core/random.hpp"

namespace bonesim {

std::array<double, 4> uniform4(std::uint64_t seed, std::uint64_t id, std::uint32_t step,
                               Purpose purpose) {
  using Philox = r123::Philox4x32;
  Philox::key_type key = {{std::uint32_t(seed), std::uint32_t(seed >> 32)}};
  Philox::ctr_type ctr = {
      {std::uint32_t(id), std::uint32_t(id >> 32), step, static_cast<std::uint32_t>(purpose)}};
  Philox::ctr_type r = Philox()(ctr, key);
  std::array<double, 4> u{};
  // Map to the open interval (0, 1): (x + 0.5) / 2^32.
  for (int n = 0; n < 4; ++n) u[n] = (double(r[n]) + 0.5) * (1.0 / 4294967296.0);
  return u;
}

}  // namespace bonesim
