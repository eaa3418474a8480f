#include "bonesim/cells/osteocytes.hpp"

#include "bonesim/core/parallel.hpp"

namespace bonesim {

void seed_osteocytes(CellPopulations& cells, const BoneLattice& l, const OsteocyteConfig& cfg,
                     std::uint64_t seed) {
  const double voxel_mm3 = std::pow(l.voxel_size_um * 1e-3, 3);
  const double p = std::min(1.0, cfg.density_per_mm3 * voxel_mm3);
  const GridShape& g = l.shape;
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        const Voxel v{i, j, k};
        if (!bone_at(l, v)) continue;
        if (uniform01(seed, voxel_key(g, v), 0, Purpose::kOsteocyteSeeding) >= p) continue;
        cells.osteocytes.id.push_back(std::uint64_t(cells.next_id++));
        cells.osteocytes.position_um.push_back(centre_of(l, v));
      }
}

void remove_resorbed_osteocytes(Osteocytes& ocy, const BoneLattice& l) {
  std::vector<std::uint8_t> gone(ocy.id.size(), 0);
  bool any = false;
  for (std::size_t r = 0; r < ocy.id.size(); ++r) {
    const Voxel v = voxel_of(l, ocy.position_um[r]);
    if (!matrix_at(l, v)) gone[r] = 1, any = true;
  }
  if (any) remove_rows(ocy, gone);
}

Voxel osteocyte_outlet(const BoneLattice& l, const Voxel& v) {
  for (const auto& d : kFaceOffsets) {
    const Voxel w = offset(v, d);
    if (inside(l.shape, w) && !matrix_at(l, w)) return w;
  }
  return {-1, 0, 0};
}

}  // namespace bonesim
