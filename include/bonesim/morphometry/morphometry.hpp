// Standard trabecular morphometry of a bone mask (what bone researchers report).
// Methods and sources: docs/MODEL.md, "Morphometry".
#pragma once

#include "bonesim/core/grid.hpp"

namespace bonesim {

struct Morphometry {
  double bv_tv = 0;           // bone volume / total volume (-)
  double bs_bv_per_mm = 0;    // bone surface / bone volume (1/mm)
  double tb_th_um = 0;        // trabecular thickness, mean local thickness of bone (um)
  double tb_sp_um = 0;        // trabecular separation, mean local thickness of marrow (um)
  double tb_n_per_mm = 0;     // trabecular number (1/mm)
  double conn_d_per_mm3 = 0;  // connectivity density (1/mm^3)
  double euler = 0;           // edge-corrected Euler characteristic of the bone (-)
};

// All metrics of `bone` (1 = bone, 0 = marrow) on cubic voxels of `voxel_size_um`.
// Undefined quantities (Tb.Th without bone, Tb.Sp without marrow) are NaN. Without
// `thickness`, Tb.Th, Tb.Sp and Tb.N (the local-thickness maps, ~90 % of the cost) are
// skipped and left NaN.
Morphometry compute_morphometry(const Mask& bone, double voxel_size_um, bool thickness = true);

}  // namespace bonesim
