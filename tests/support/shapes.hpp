// Bone masks of simple shapes whose morphometry is known analytically.
#pragma once

#include "bonesim/core/grid.hpp"

namespace bonesim::testing_support {

// An nx x ny x nz mask: 1 where inside(i, j, k) holds, 0 elsewhere.
template <class Inside>
Mask make_mask(int nx, int ny, int nz, Inside&& inside) {
  Mask m(GridShape::make(nx, ny, nz));
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) m(i, j, k) = inside(i, j, k) ? 1 : 0;
  return m;
}

// The voxels whose centres lie within r of (cx, cy, cz).
inline Mask ball_mask(int nx, int ny, int nz, double cx, double cy, double cz, double r) {
  return make_mask(nx, ny, nz, [&](int i, int j, int k) {
    return (i - cx) * (i - cx) + (j - cy) * (j - cy) + (k - cz) * (k - cz) <= r * r;
  });
}

// The layers k_begin <= k < k_end across the whole domain in x and y.
inline Mask z_plate_mask(int nx, int ny, int nz, int k_begin, int k_end) {
  return make_mask(nx, ny, nz, [&](int, int, int k) { return k >= k_begin && k < k_end; });
}

// A rod along z through the whole domain: the voxels whose centres lie within r of the
// line x = cx, y = cy.
inline Mask z_rod_mask(int nx, int ny, int nz, double cx, double cy, double r) {
  return make_mask(nx, ny, nz, [&](int i, int j, int) {
    return (i - cx) * (i - cx) + (j - cy) * (j - cy) <= r * r;
  });
}

// Rods of w x w voxels along x, y and z on a cubic lattice of n x n x n cells of period
// a, the box faces cutting through mid-rods: each cell holds one node and three rods.
inline Mask rod_lattice_mask(int n, int a, int w) {
  const int lo = (a - w) / 2;
  auto in_rod = [&](int u) { return u % a >= lo && u % a < lo + w; };
  return make_mask(n * a, n * a, n * a, [&](int i, int j, int k) {
    return (in_rod(j) && in_rod(k)) || (in_rod(i) && in_rod(k)) || (in_rod(i) && in_rod(j));
  });
}

}  // namespace bonesim::testing_support
