// Lattices and states for the cell tests: a flat slab of bone under marrow.
#pragma once

#include "bonesim/cells/cell_context.hpp"
#include "bonesim/config/config.hpp"
#include "bonesim/fields/signalling.hpp"

namespace bonesim::testing_support {

// fn(i, j, k) over the grid in order, on this thread (tests accumulate in it).
template <class F>
void each_voxel(const GridShape& g, F&& fn) {
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) fn(i, j, k);
}

// nx x ny x nz voxels of h um; bone in the layers k < slab_top.
inline BoneLattice slab_lattice(int nx, int ny, int nz, int slab_top, double h = 20.0) {
  BoneLattice l = make_lattice(nx, ny, nz, h);
  for (int k = 0; k < slab_top; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) l.bone(i, j, k) = 1.0f;
  mark_day0(l);
  return l;
}

// Fields whose free RANKL gives RANK occupancy `occ` everywhere.
inline SignallingFields fields_with_occupancy(const GridShape& g, const FieldsConfig& cfg,
                                              double occ) {
  SignallingFields f = make_signalling_fields(g, cfg);
  const float rankl = float(occ / (1.0 - occ) / cfg.k_a_rankl_rank_per_pM);
  std::fill(f.rankl.data.begin(), f.rankl.data.end(), rankl);
  return f;
}

}  // namespace bonesim::testing_support
