// Geometric multigrid cycle for the voxel stiffness operator, used as a CG
// preconditioner (Adams, Bayraktar, Keaveny & Papadopoulos, SC 2004, for voxel bone;
// Arbenz, van Lenthe, Mennel, Mueller & Sala, Int J Numer Meth Eng 73 (2008) 927,
// ParOSol; here geometric and rediscretised rather than algebraic).
//
// Level l + 1 coarsens voxels by 2 per axis; a coarse element's modulus is the mean of
// its 8 children (absent children count as 0) and it is rediscretised with the same
// reference stiffness at edge 2h. Transfer is trilinear nodal prolongation P and
// restriction P^T, both gathers (no scatter, so thread-count independent). A coarse dof
// is fixed when any fine node it interpolates to has that dof fixed, so plates, rollers
// and pins act on every level. Smoother: degree-2 Chebyshev polynomial in D^-1 A (D = 3x3
// node blocks, rebuilt from the moduli on the fly), the same before and after, which
// keeps the cycle symmetric. Its interval top is the element bound
// lambda_max(D^-1 A) <= lambda_max(D_e^-1 K_e), valid for every mesh and level. The
// finest level is visited once (a V-cycle step), every coarser one corrects twice
// (W-cycle); the coarsest level (<= 6 voxels a side) is solved by dense LDL^T.
//
// Memory: on level 0 the cycle needs one scratch vector beyond the caller's r and z;
// each coarser level holds its mesh, fixed mask and 3 vectors.
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <vector>

#include "bonesim/mechanics/fe_operator.hpp"

namespace bonesim {

struct FeLevel {
  FeMesh mesh;                  // empty on level 0 (the caller's mesh)
  DofMask fixed;                // empty on level 0 (the caller's mask)
  std::vector<double> x, b, s;  // correction, right-hand side (coarse levels), scratch
  double work = 1;              // elements relative to level 0
  int corrections = 1;          // coarse-grid corrections per visit
};

class FeMultigrid {
 public:
  // `fine` and `fine_fixed` must outlive the hierarchy. `bearing` (per element, from
  // FeComponents::bearing, bit `axis`) selects the elements that are coarsened.
  FeMultigrid(const FeMesh& fine, const DofMask& fine_fixed, const Mask& bearing, int axis,
              const ElementMatrix& ke);

  // z = B r, B the cycle (symmetric positive definite on the free dofs); r and z are
  // zero on fixed dofs and must not alias. Returns r . z.
  double apply(const double* r, double* z);
  // Work of one apply in fine-operator applications.
  double cost() const { return cost_; }
  int level_count() const { return int(levels_.size()); }
  std::size_t bytes() const;

  // Element bound on lambda_max(D^-1 K) of any mesh of these elements.
  static double block_jacobi_bound(const ElementMatrix& ke);

 private:
  const FeMesh& mesh(int l) const { return l == 0 ? *fine_ : levels_[std::size_t(l)].mesh; }
  const DofMask& fixed(int l) const {
    return l == 0 ? *fine_fixed_ : levels_[std::size_t(l)].fixed;
  }
  void build_coarse_solver();
  void cycle(int l, const double* b, double* x, double* s);
  void presmooth(int l, const double* b, double* x, double* s) const;
  void postsmooth(int l, const double* b, double* x, double* s) const;
  void residual(int l, const double* b, const double* x, double* s) const;
  void restrict_to(int l, const double* fine_r, double* coarse_b) const;
  void prolong_add(int l, const double* coarse_x, double* fine_x) const;

  const FeMesh* fine_;
  const DofMask* fine_fixed_;
  const ElementMatrix& ke_;
  std::vector<FeLevel> levels_;
  double lmax_, lmin_;
  double cost_ = 0;
  Eigen::LDLT<Eigen::MatrixXd> coarse_;
};

}  // namespace bonesim
