#include "bonesim/lattice/bone_lattice.hpp"

#include "bonesim/core/parallel.hpp"

namespace bonesim {

BoneLattice make_lattice(int nx, int ny, int nz, double voxel_size_um) {
  BoneLattice l;
  l.shape = GridShape::make(nx, ny, nz);
  l.voxel_size_um = voxel_size_um;
  l.bone = Field<float>(l.shape, 0.0f);
  l.osteoid = Field<float>(l.shape, 0.0f);
  l.mineral = Field<float>(l.shape, 0.0f);
  l.day_last_resorbed = Field<float>(l.shape, kNever);
  l.day_last_formed = Field<float>(l.shape, kNever);
  l.day_first_formed = Field<float>(l.shape, kNever);
  l.bone_at_day0 = Mask(l.shape, 0);
  l.resorption_event = Field<std::int32_t>(l.shape, -1);
  l.resorption_depth = Mask(l.shape, 0);
  l.pit_label = Field<std::int32_t>(l.shape, -1);
  return l;
}

Mask bone_mask(const BoneLattice& lattice) {
  Mask m(lattice.shape, 0);
  for_each_row(lattice.shape, [&](int j, int k) {
    const float* b = lattice.bone.row(j, k);
    std::uint8_t* o = m.row(j, k);
    for (int i = 0; i < lattice.shape.nx; ++i) o[i] = is_bone(b[i]) ? 1 : 0;
  });
  return m;
}

Mask surface_mask(const Mask& bone) {
  const GridShape& g = bone.shape;
  Mask s(g, 0);
  for_each_voxel(g, [&](int i, int j, int k) {
    if (!bone(i, j, k)) return;
    const bool marrow_next =
        (i > 0 && !bone(i - 1, j, k)) || (i + 1 < g.nx && !bone(i + 1, j, k)) ||
        (j > 0 && !bone(i, j - 1, k)) || (j + 1 < g.ny && !bone(i, j + 1, k)) ||
        (k > 0 && !bone(i, j, k - 1)) || (k + 1 < g.nz && !bone(i, j, k + 1));
    s(i, j, k) = marrow_next ? 1 : 0;
  });
  return s;
}

void mark_day0(BoneLattice& lattice) {
  lattice.bone_at_day0 = bone_mask(lattice);
}

Index count(const Mask& mask) {
  const GridShape& g = mask.shape;
  return deterministic_row_sum<Index>(g, [&](int j, int k) {
    const std::uint8_t* r = mask.row(j, k);
    Index n = 0;
    for (int i = 0; i < g.nx; ++i) n += r[i];
    return n;
  });
}

}  // namespace bonesim
