// Surface area of the bone by the discrete Crofton formula over the 13 lattice directions
// (Ohser & Muecklich 2000; Lang, Ohser & Hilfer 2001; Legland et al. 2007).
// docs/MODEL.md, "Morphometry".
#pragma once

#include "bonesim/core/grid.hpp"

namespace bonesim {

// Number of voxel pairs (p, p + d), both inside the domain, with exactly one bone voxel,
// for d in the 13 lattice directions in the order of kCroftonDirections.
struct CroftonCounts {
  long long n[13] = {};
};

struct CroftonDirection {
  int dx, dy, dz;
  double weight;  // Voronoi solid-angle share of d (and of -d) on the unit sphere
};

inline constexpr CroftonDirection kCroftonDirections[13] = {
    {1, 0, 0, 0.04577789120476},   {0, 1, 0, 0.04577789120476},  {0, 0, 1, 0.04577789120476},
    {1, 1, 0, 0.03698062787608},   {1, -1, 0, 0.03698062787608}, {1, 0, 1, 0.03698062787608},
    {1, 0, -1, 0.03698062787608},  {0, 1, 1, 0.03698062787608},  {0, 1, -1, 0.03698062787608},
    {1, 1, 1, 0.03519563978232},   {1, 1, -1, 0.03519563978232}, {1, -1, 1, 0.03519563978232},
    {1, -1, -1, 0.03519563978232},
};

CroftonCounts crofton_counts(const Mask& mask);

// Bone surface area in voxel-face units (multiply by h^2):
// S = 4 sum_d w_d N_d / |d|. An infinite axis-aligned plane reads 0.9266 of its area.
double surface_area(const Mask& mask);

}  // namespace bonesim
