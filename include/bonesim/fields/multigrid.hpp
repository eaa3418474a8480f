// Geometric multigrid hierarchy for the backward-Euler diffusion operator
//   (A x)_i = m w_i x_i + sum_faces g_f (x_i - x_nb)
// on cell-centred voxels (docs/MODEL.md, section 6). m = 1 + dt k, g_f = dt D_f / h^2,
// w_i = fine voxels in cell i (1 on the fine grid).
//
// The fine level keeps one byte of face flags per voxel and derives its face
// conductances on the fly; coarse levels store their (normalised) face conductances.
// Coarse faces are half the sum of the fine faces they cover, so a wall of
// zero-conductance faces stays a wall wherever it lies on a coarse face.
//
// Components (fields/components.hpp): voxels joined by open faces form components (the
// marrow, an enclosed pore, each bone voxel when bone is impermeable). Every coarse cell
// belongs to one component, the one with most fine voxels among its children; only
// children of that component are restricted to it and corrected from it. The other
// children are only smoothed. The preconditioner is then block diagonal by component,
// like A, and a component with zero residual is left exactly as it is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bonesim/core/grid.hpp"
#include "bonesim/fields/diffusion_solver.hpp"

namespace bonesim {

// Per-step scalars of the operator: mass term and marrow-marrow face conductance.
struct StencilScale {
  float m = 1;  // 1 + dt k
  float g = 0;  // dt D / h^2 (the reference diffusivity, normally marrow's)
};

struct MgLevel {
  GridShape shape;
  // Fine level: bit f (faces -x,+x,-y,+y,-z,+z) = neighbour across f is bone (the
  // periodic partner at a wrapping face; 0 at other outer faces); bit 6 = own bone;
  // bit 7 = the voxel belongs to the component of its coarse cell.
  Mask flags;
  // Every level: conductance of the face on the minus side of each cell, divided by
  // StencilScale::g, on a (n+1)-sized shape so that the last plus face is stored too
  // (the fine level's decoded once from the flags: 12 B per voxel buys ~20 % per sweep).
  GridShape face_shape;
  Field<float> gx, gy, gz;
  Field<float> w;     // fine voxels of the cell's component below it (1 on the fine level)
  Mask incl;          // coarse levels: 1 = the cell belongs to its parent's component
  Field<float> x, b;  // coarse levels: correction and right-hand side
};

class Multigrid {
 public:
  // Diffusivities relative to the reference one in StencilScale::g (marrow 1 normally).
  // Periodic faces need an even extent (or 1): red-black ordering across the wrap then
  // stays two-coloured, which keeps the sweeps independent of the thread count.
  Multigrid(const Mask& bone, const BoundaryConditions& bc, double marrow_ratio, double bone_ratio);

  const GridShape& shape() const { return levels_.front().shape; }
  int level_count() const { return int(levels_.size()); }

  // z = V(1,1)-cycle applied to r (symmetric: usable as a CG preconditioner).
  void vcycle(const StencilScale& s, const Field<float>& r, Field<float>& z);
  // y = A x; returns (x, y) accumulated in double.
  double apply(const StencilScale& s, const Field<float>& x, Field<float>& y) const;
  // One red-black Gauss-Seidel sweep of A x = b on the fine level.
  void smooth(const StencilScale& s, const Field<float>& b, Field<float>& x) const;
  // Conductance factor of the face (f) of fine voxel (i, j, k) relative to
  // StencilScale::g, outer-face rule included (0 no-flux, 2 fixed, 1 periodic).
  float fine_face(int f, int i, int j, int k) const;

  // Fine face flags (bits in MgLevel::flags).
  const Mask& flags() const { return levels_.front().flags; }
  // Whether a voxel with these flags has all six faces closed: a one-by-one block of A.
  bool isolated(std::uint8_t flags) const { return isolated_[flags & 0x7F]; }
  // Components other than the largest, isolated voxels left out (enclosed pores): storage
  // indices of their voxels, component c at [minor_begin()[c], minor_begin()[c + 1]).
  const std::vector<Index>& minor_voxels() const { return minor_voxels_; }
  const std::vector<Index>& minor_begin() const { return minor_begin_; }

  // Bytes held (flags, coarse levels), excluding the caller's fine vectors.
  std::size_t bytes() const;
  // Work of the last vcycle in fine smoother-sweep equivalents (byte model).
  double last_vcycle_sweeps() const { return vcycle_sweeps_; }

  // Bytes per fine voxel moved by one red-black sweep (the unit of sweep-equivalents).
  static constexpr double kSweepBytes = 26.0;

 private:
  void find_minor_components(const std::vector<std::int32_t>& labels);
  void cycle(int l, const StencilScale& s, const Field<float>& b, Field<float>& x);
  // Adds level l + 1; `labels` (compact order): component of each cell of level l, on
  // return of each cell of level l + 1.
  void build_coarse(int l, std::vector<std::int32_t>& labels);

  std::vector<MgLevel> levels_;
  BoundaryConditions bc_;
  float ratio_[3];  // face factor for 0, 1, 2 bone voxels on its sides
  float outer_[6];  // outer-face factor per face of the fine grid
  std::vector<float> zero_row_;
  bool isolated_[128];
  std::vector<Index> minor_voxels_, minor_begin_;
  // Coarsest level: component number of each cell (compact order; -1 for components of
  // one cell), for the per-component mean correction.
  std::vector<std::int32_t> coarse_comp_;
  int coarse_ncomp_ = 0;
  Field<float> coarse_ones_;
  std::vector<double> coarse_sums_;
  double vcycle_sweeps_ = 0;
};

}  // namespace bonesim
