// Micro finite-element linear elasticity on voxel bone (docs: Van Rietbergen et al.,
// J Biomech 28 (1995) 69-81, the element-by-element voxel method; the n88 / vtkbone
// conventions for SED at element centres).
//
// Elements are the voxels of a modulus field (0 = marrow); each is a trilinear hexahedron
// with stiffness E h Ke (element_stiffness.hpp). The sample is compressed or stretched
// between two plates (load_case.hpp) and solved by preconditioned conjugate gradients
// on the free dofs in double precision, matrix-free (fe_operator.hpp).
#pragma once

#include <cstddef>
#include <vector>

#include "bonesim/core/grid.hpp"
#include "bonesim/mechanics/element_stiffness.hpp"
#include "bonesim/mechanics/fe_multigrid.hpp"
#include "bonesim/mechanics/fe_operator.hpp"
#include "bonesim/mechanics/load_case.hpp"

namespace bonesim {

// Where an element's strain energy density is evaluated.
enum class SedPoint {
  kElementCentre,  // strain at the centre, as n88 / vtkbone report it (bonesim default)
  kGaussAverage    // mean over the 2x2x2 Gauss points = element energy / volume
};

enum class FePreconditioner { kBlockJacobi, kMultigrid };

struct FeOptions {
  double poisson_ratio = 0.3;  // mechanics.poisson_ratio
  double tolerance = 1e-6;     // mechanics.tolerance: ||r|| / ||b||, unpreconditioned
  int max_iterations = 5000;   // mechanics.max_iterations
  FePreconditioner preconditioner = FePreconditioner::kMultigrid;  // mechanics.preconditioner
  SedPoint sed_point = SedPoint::kElementCentre;                   // mechanics.sed_point
};

struct FeResult {
  Field<float> sed_MPa;                 // per element; 0 for marrow and non-bearing bone
  Field<float> effective_strain;        // sqrt(2 SED / E), dimensionless
  std::vector<double> displacement_um;  // 3 per mesh node (VoxelFeSolver::mesh().node_id)
  double apparent_stress_MPa = 0;       // axial reaction on the max plate / plate area of the box
  double apparent_modulus_MPa = 0;      // apparent stress / strain
  double strain_energy_MPa_um3 = 0;     // 1/2 u . K u (= sum of Gauss-average SED x volume)
  int iterations = 0;
  double matvec_equivalents = 0;  // work in fine-operator applications
  bool converged = false;
  double relative_residual = 0;  // true ||K u - f|| / ||f|| on the free dofs
};

class VoxelFeSolver {
 public:
  VoxelFeSolver(const Field<float>& modulus_MPa, double voxel_size_um, const FeOptions& opt = {});

  // Solves the load case; `warm_start` is a previous displacement_um of this solver.
  FeResult solve(const LoadCase& load, const std::vector<double>* warm_start = nullptr);

  // Per-element SED of a displacement (0 where the element has no displacement).
  Field<float> sed(const std::vector<double>& displacement_um, SedPoint at) const;
  // Component d of a displacement on the node grid (nx + 1, ny + 1, nz + 1); 0 off mesh.
  Field<float> displacement_field(const std::vector<double>& displacement_um, int d) const;

  const FeMesh& mesh() const { return mesh_; }
  const FeComponents& components() const { return comps_; }
  const ElementMatrix& reference_stiffness() const { return ke_; }
  // Bytes held by the solver plus the CG vectors of one solve.
  std::size_t bytes() const;

 private:
  FeOptions opt_;
  ElementMatrix ke_;
  FeMesh mesh_;
  FeComponents comps_;
  Index elements_ = 0;
  std::size_t solve_bytes_ = 0;
};

}  // namespace bonesim
