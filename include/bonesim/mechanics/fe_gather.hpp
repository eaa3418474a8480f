// The one node-centred loop of the voxel stiffness operator, with a per-node epilogue.
//
// Each node gathers (K x)_p from its (up to 8) elements and, where asked, its 3x3
// diagonal block D_p, then hands both to an epilogue that writes that node's entries
// of any output vectors. No two nodes write the same entry, so the operator, the
// residual, block Jacobi and the fused Chebyshev steps of the multigrid smoother are
// all gathers: no atomics, and results independent of the thread count. Fusing the
// node-local updates into the gather saves both passes over memory and whole work
// vectors (fe_multigrid.cpp).
#pragma once

#include <cstdint>

#include "bonesim/core/parallel.hpp"
#include "bonesim/mechanics/fe_operator.hpp"

namespace bonesim::fe_detail {

// Halo offsets of the 27 nodes around a node and of the 8 elements around it.
struct Stencil {
  Index node[27];
  Index elem[8];
  explicit Stencil(const FeMesh& m) {
    const GridShape& n = m.node_id.shape;
    const GridShape& e = m.emod.shape;
    for (int c = 0; c < 3; ++c)
      for (int b = 0; b < 3; ++b)
        for (int a = 0; a < 3; ++a)
          node[a + 3 * b + 9 * c] = (a - 1) + (b - 1) * n.sx + (c - 1) * n.sxy;
    // Element (i - 1 + a, ...) of node (i, ...): halo position (i + a, ...), relative to
    // the node's own halo position (i + 1, ...).
    for (int c = 0; c < 2; ++c)
      for (int b = 0; b < 2; ++b)
        for (int a = 0; a < 2; ++a)
          elem[a + 2 * b + 4 * c] = (a - 1) + (b - 1) * e.sx + (c - 1) * e.sxy;
  }
};

// u27 position of local node m of the element at (a, b, c) around the centre node.
struct LocalMap {
  int at[8][8];
  LocalMap() {
    for (int e = 0; e < 8; ++e)
      for (int m = 0; m < 8; ++m)
        at[e][m] =
            ((e & 1) + (m & 1)) + 3 * (((e >> 1) & 1) + ((m >> 1) & 1)) + 9 * ((e >> 2) + (m >> 2));
  }
};
inline const LocalMap kLocal;

// z = D^-1 r for one node block d (row-major 3x3), fixed dofs decoupled with a unit
// diagonal and z = 0 there. Cofactor inverse of the symmetric positive definite block.
inline void solve_node_block(double d[9], std::uint8_t fixed, const double r[3], double z[3]) {
  for (int a = 0; a < 3; ++a) {
    if (!((fixed >> a) & 1)) continue;
    for (int b = 0; b < 3; ++b) d[3 * a + b] = d[3 * b + a] = 0;
    d[4 * a] = 1;
  }
  const double c00 = d[4] * d[8] - d[5] * d[7], c01 = d[5] * d[6] - d[3] * d[8],
               c02 = d[3] * d[7] - d[4] * d[6];
  const double inv_det = 1 / (d[0] * c00 + d[1] * c01 + d[2] * c02);
  const double i11 = d[0] * d[8] - d[2] * d[6], i22 = d[0] * d[4] - d[1] * d[3],
               i12 = d[2] * d[3] - d[0] * d[5];
  z[0] = (fixed & 1) ? 0.0 : inv_det * (c00 * r[0] + c01 * r[1] + c02 * r[2]);
  z[1] = (fixed & 2) ? 0.0 : inv_det * (c01 * r[0] + i11 * r[1] + i12 * r[2]);
  z[2] = (fixed & 4) ? 0.0 : inv_det * (c02 * r[0] + i12 * r[1] + i22 * r[2]);
}

// For every mesh node p (in fixed row blocks): kx = (K x)_p when kProduct, d = D_p
// (row-major 3x3) when kBlock, then `epilogue(p, kx, d)`, which returns the node's
// share of a deterministic sum (the return value). The epilogue may write node p of any
// vector except x.
template <bool kProduct, bool kBlock, class Epilogue>
double gather_nodes(const FeMesh& mesh, const ElementMatrix& ke, const double* x,
                    Epilogue&& epilogue) {
  const Stencil st(mesh);
  const GridShape& g = mesh.elements;
  const GridShape nodes = GridShape::make(g.nx + 1, g.ny + 1, g.nz + 1);
  const double h = mesh.h_um;
  return deterministic_row_sum<double>(nodes, [&](int j, int k) {
    double sum = 0;
    const std::int32_t* ids = &mesh.node_id(1, j + 1, k + 1);
    const float* em = &mesh.emod(1, j + 1, k + 1);  // element (i, j, k) of node i + 1
    for (int i = 0; i < nodes.nx; ++i) {
      const std::int32_t p = ids[i];
      if (p < 0) continue;
      double u27[81];
      if constexpr (kProduct) {
        for (int s = 0; s < 27; ++s) {
          const std::int32_t q = ids[i + st.node[s]];
          const double* xq = x + 3 * Index(q < 0 ? 0 : q);
          const double w = q < 0 ? 0.0 : 1.0;
          u27[3 * s] = w * xq[0];
          u27[3 * s + 1] = w * xq[1];
          u27[3 * s + 2] = w * xq[2];
        }
      }
      double kx[3] = {0, 0, 0};
      double d[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
      for (int e = 0; e < 8; ++e) {
        const double modulus = em[i + st.elem[e]];
        if (modulus == 0) continue;
        const int lp = 7 - e;  // the centre node is corner (1 - a, 1 - b, 1 - c) of element e
        const double* kr = ke.data() + 72 * lp;
        if constexpr (kBlock) {
          for (int r = 0; r < 3; ++r)
            for (int s = 0; s < 3; ++s) d[3 * r + s] += modulus * kr[24 * r + 3 * lp + s];
        }
        if constexpr (kProduct) {
          double ue[24];
          for (int m = 0; m < 8; ++m) {
            const double* src = u27 + 3 * kLocal.at[e][m];
            ue[3 * m] = src[0];
            ue[3 * m + 1] = src[1];
            ue[3 * m + 2] = src[2];
          }
          double s0 = 0, s1 = 0, s2 = 0;
          for (int t = 0; t < 24; ++t) {
            s0 += kr[t] * ue[t];
            s1 += kr[24 + t] * ue[t];
            s2 += kr[48 + t] * ue[t];
          }
          kx[0] += modulus * s0;
          kx[1] += modulus * s1;
          kx[2] += modulus * s2;
        }
      }
      for (double& v : kx) v *= h;
      if constexpr (kBlock) {
        for (double& v : d) v *= h;
      }
      sum += epilogue(Index(p), kx, d);
    }
    return sum;
  });
}

}  // namespace bonesim::fe_detail
