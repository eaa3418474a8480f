// Geometric multigrid V-cycle for the voxel stiffness operator, used as a CG
// preconditioner (Adams, Bayraktar, Keaveny & Papadopoulos, SC 2004, for voxel bone;
// here geometric rather than algebraic).
//
// Level l + 1 coarsens voxels by 2 per axis; a coarse element's modulus is the mean of
// its 8 children (absent children count as 0) and it is rediscretised with the same
// reference stiffness at edge 2h. Transfer is trilinear nodal prolongation P and
// restriction P^T, both gathers (no scatter, so thread-count independent). A coarse dof
// is fixed when any fine node it interpolates to has that dof fixed, so plates, rollers
// and pins act on every level. Smoother: Chebyshev polynomial in D^-1 A (D = 3x3 node
// blocks), the same before and after, which keeps the cycle symmetric. Its interval top
// is the element bound lambda_max(D^-1 A) <= lambda_max(D_e^-1 K_e), valid for every
// mesh and level. The coarsest level (<= 6 voxels a side) is solved by dense LDL^T.
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <memory>
#include <vector>

#include "bonesim/mechanics/fe_operator.hpp"

namespace bonesim {

struct FeLevel {
  FeMesh mesh;  // unused on level 0 (the caller's mesh)
  DofMask fixed;
  std::vector<double> inv;         // block-Jacobi inverses
  std::vector<double> x, b, r, d;  // correction, right-hand side, residual, step
  double work = 1;                 // elements relative to level 0
};

class FeMultigrid {
 public:
  // `fine` and `fine_fixed` must outlive the hierarchy. `carries` (per element, from
  // FeComponents::bearing & axis bit) selects the elements that are coarsened.
  FeMultigrid(const FeMesh& fine, const DofMask& fine_fixed, const Mask& bearing, int axis,
              const ElementMatrix& ke, int degree = 2);

  // z = V-cycle(r); r and z are zero on fixed dofs. Returns r . z.
  double apply(const double* r, double* z);
  // Work of one apply in fine-operator applications.
  double cost() const { return cost_; }
  int level_count() const { return int(levels_.size()); }
  std::size_t bytes() const;

  // Element bound on lambda_max(D^-1 K) of any mesh of these elements.
  static double block_jacobi_bound(const ElementMatrix& ke);

 private:
  const FeMesh& mesh(int l) const { return l == 0 ? *fine_ : levels_[std::size_t(l)].mesh; }
  void cycle(int l, const double* b, double* x);
  // Chebyshev steps on x (degree); r = b - A x on entry, updated when `keep_residual`.
  void smooth(int l, double* x, double* r, bool keep_residual);
  void restrict_to(int l, const double* fine_r, double* coarse_b) const;
  void prolong_add(int l, const double* coarse_x, double* fine_x) const;

  const FeMesh* fine_;
  const ElementMatrix& ke_;
  std::vector<FeLevel> levels_;
  int degree_;
  double lmax_, lmin_;
  double cost_ = 0;
  Eigen::LDLT<Eigen::MatrixXd> coarse_;
};

}  // namespace bonesim
