// Standard trabecular morphometry of a bone mask. docs/MODEL.md, "Morphometry".
#include "bonesim/morphometry/morphometry.hpp"

#include <limits>

#include "bonesim/core/parallel.hpp"
#include "bonesim/morphometry/euler.hpp"
#include "bonesim/morphometry/local_thickness.hpp"
#include "bonesim/morphometry/surface_area.hpp"

namespace bonesim {

Morphometry compute_morphometry(const Mask& bone, double voxel_size_um, bool thickness) {
  const GridShape& g = bone.shape;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const double h_mm = voxel_size_um * 1e-3;
  const long long total = g.voxel_count();
  const long long bone_voxels = deterministic_row_sum<long long>(g, [&](int j, int k) {
    const std::uint8_t* m = bone.row(j, k);
    long long n = 0;
    for (int i = 0; i < g.nx; ++i) n += m[i] != 0;
    return n;
  });
  const double tv_mm3 = double(total) * h_mm * h_mm * h_mm;
  const double bv_mm3 = double(bone_voxels) * h_mm * h_mm * h_mm;

  Morphometry m;
  m.bv_tv = double(bone_voxels) / double(total);
  m.bs_bv_per_mm = bone_voxels > 0 ? surface_area(bone) * h_mm * h_mm / bv_mm3 : kNaN;
  if (thickness) {
    m.tb_th_um = mean_local_thickness(bone, 1) * voxel_size_um;
    m.tb_sp_um = mean_local_thickness(bone, 0) * voxel_size_um;
    // Hildebrand et al. (1999): plate/rod independent Tb.N = 1 / (Tb.Th + Tb.Sp).
    m.tb_n_per_mm = 1.0 / ((m.tb_th_um + m.tb_sp_um) * 1e-3);
  } else {
    m.tb_th_um = m.tb_sp_um = m.tb_n_per_mm = kNaN;
  }
  m.euler = euler_contribution(bone);
  // Odgaard & Gundersen (1993): beta1 = beta0 - chi + beta2 with one bone network (beta0 = 1)
  // and no enclosed marrow (beta2 = 0). Without bone there is no network: beta0 = 0.
  m.conn_d_per_mm3 = bone_voxels > 0 ? (1.0 - m.euler) / tv_mm3 : 0.0;
  return m;
}

}  // namespace bonesim
