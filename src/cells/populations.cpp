#include "bonesim/cells/populations.hpp"

#include <cmath>

namespace bonesim {

std::array<int, 3> voxel_of(const BoneLattice& l, const Position& p) {
  std::array<int, 3> v{};
  for (std::size_t a = 0; a < 3; ++a) {
    v[a] = int(std::floor((p[a] - l.origin_um[a]) / l.voxel_size_um));
  }
  return v;
}

Position centre_of(const BoneLattice& l, int i, int j, int k) {
  const double h = l.voxel_size_um;
  return {l.origin_um[0] + (i + 0.5) * h, l.origin_um[1] + (j + 0.5) * h,
          l.origin_um[2] + (k + 0.5) * h};
}

std::size_t bytes_per_cell(const CellPopulations& cells) {
  std::size_t worst = 0;
  for_each_population(cells, [&](std::string_view, const auto& pop) {
    worst = std::max(worst, bytes_per_row(pop));
  });
  return worst;
}

}  // namespace bonesim
