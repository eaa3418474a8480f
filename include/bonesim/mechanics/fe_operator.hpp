// Matrix-free stiffness operator of a voxel mesh of trilinear hexahedra.
//
// Nodes are voxel corners; only corners touched by an element (modulus > 0) are numbered,
// in grid order, so vectors hold 3 doubles per touched node and nothing for marrow.
// K x is gathered node by node: each node sums the rows of its (up to 8) elements, so no
// two tasks write the same entry and the result does not depend on the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bonesim/core/grid.hpp"
#include "bonesim/mechanics/element_stiffness.hpp"

namespace bonesim {

struct FeMesh {
  GridShape elements;  // the voxel grid, nx x ny x nz
  double h_um = 1;     // voxel edge
  // Element (i, j, k) at emod(i + 1, j + 1, k + 1) and node (i, j, k) at
  // node_id(i + 1, j + 1, k + 1): one halo layer of zeros / -1 around each grid lets
  // the kernels read every neighbour without bounds checks.
  Field<float> emod;            // modulus in MPa; 0 = no element
  Field<std::int32_t> node_id;  // compact node number; -1 = no element touches it
  std::int32_t node_count = 0;

  float modulus(int i, int j, int k) const { return emod(i + 1, j + 1, k + 1); }
  std::int32_t node(int i, int j, int k) const { return node_id(i + 1, j + 1, k + 1); }
  Index element_count() const;  // elements with modulus > 0
  std::size_t bytes() const;
};

// Mesh of the elements of `modulus_MPa` > 0 (negative moduli throw std::invalid_argument).
FeMesh make_fe_mesh(const Field<float>& modulus_MPa, double voxel_size_um);

// Bits 0..2 of fixed[node]: dof x, y, z has a prescribed value.
using DofMask = std::vector<std::uint8_t>;

// y = K x with K = sum_e E_e h Ke (ke: hex8_stiffness, unit E and edge). Where `fixed`
// is given, y is zeroed at fixed dofs: with x zero there too this is the operator of
// the free dofs, symmetric positive definite once rigid modes are held. Returns x . y.
double apply_stiffness(const FeMesh& mesh, const ElementMatrix& ke, const DofMask* fixed,
                       const double* x, double* y);

// y -= K x, same masking and return value (residual updates without a temporary).
double subtract_stiffness(const FeMesh& mesh, const ElementMatrix& ke, const DofMask* fixed,
                          const double* x, double* y);

// z = D^-1 r with D the 3x3 node blocks of K (the block-Jacobi preconditioner), fixed
// dofs decoupled with a unit diagonal and z = 0 there. Returns r . z.
double apply_node_blocks(const FeMesh& mesh, const ElementMatrix& ke, const DofMask& fixed,
                         const double* r, double* z);

// Sum of x . y over 3 n dofs in fixed blocks (bit-identical at any thread count).
double dot(Index n_dofs, const double* x, const double* y);

}  // namespace bonesim
