#include "bonesim/mechanics/fe_operator.hpp"

#include <algorithm>
#include <stdexcept>

#include "bonesim/core/parallel.hpp"

namespace bonesim {
namespace {

constexpr Index kNodeGrain = 1024;  // nodes per reduction block

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
const LocalMap kLocal;

}  // namespace

Index FeMesh::element_count() const {
  const GridShape& g = elements;
  return deterministic_row_sum<Index>(g, [&](int j, int k) {
    Index n = 0;
    for (int i = 0; i < g.nx; ++i) n += modulus(i, j, k) > 0;
    return n;
  });
}

std::size_t FeMesh::bytes() const {
  return emod.data.size() * sizeof(float) + node_id.data.size() * sizeof(std::int32_t);
}

FeMesh make_fe_mesh(const Field<float>& modulus_MPa, double voxel_size_um) {
  if (!(voxel_size_um > 0)) throw std::invalid_argument("voxel_size_um: must be positive");
  const GridShape& g = modulus_MPa.shape;
  FeMesh m;
  m.elements = g;
  m.h_um = voxel_size_um;
  m.emod = Field<float>(GridShape::make(g.nx + 2, g.ny + 2, g.nz + 2), 0.f);
  m.node_id = Field<std::int32_t>(GridShape::make(g.nx + 3, g.ny + 3, g.nz + 3), -1);
  bool negative = false;
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        const float e = modulus_MPa(i, j, k);
        negative |= !(e >= 0);
        m.emod(i + 1, j + 1, k + 1) = e > 0 ? e : 0.f;
      }
  if (negative) throw std::invalid_argument("modulus_MPa: must be >= 0 and finite");
  // Serial numbering in grid order: the numbers must not depend on the thread count.
  std::int32_t next = 0;
  for (int k = 0; k <= g.nz; ++k)
    for (int j = 0; j <= g.ny; ++j)
      for (int i = 0; i <= g.nx; ++i) {
        bool touched = false;
        for (int c = 0; c < 2; ++c)
          for (int b = 0; b < 2; ++b)
            for (int a = 0; a < 2; ++a) touched |= m.emod(i + a, j + b, k + c) > 0;
        if (touched) m.node_id(i + 1, j + 1, k + 1) = next++;
      }
  m.node_count = next;
  return m;
}

namespace {

template <bool kSubtract>
double apply_kernel(const FeMesh& mesh, const ElementMatrix& ke, const DofMask* fixed,
                    const double* x, double* y) {
  const Stencil st(mesh);
  const GridShape& g = mesh.elements;
  const GridShape nodes = GridShape::make(g.nx + 1, g.ny + 1, g.nz + 1);
  const double h = mesh.h_um;
  return deterministic_row_sum<double>(nodes, [&](int j, int k) {
    double xy = 0;
    const std::int32_t* ids = &mesh.node_id(1, j + 1, k + 1);
    const float* em = &mesh.emod(1, j + 1, k + 1);  // element (i, j, k) of node i + 1
    for (int i = 0; i < nodes.nx; ++i) {
      const std::int32_t p = ids[i];
      if (p < 0) continue;
      double u27[81];
      for (int s = 0; s < 27; ++s) {
        const std::int32_t q = ids[i + st.node[s]];
        const double* xq = x + 3 * Index(q < 0 ? 0 : q);
        const double w = q < 0 ? 0.0 : 1.0;
        u27[3 * s] = w * xq[0];
        u27[3 * s + 1] = w * xq[1];
        u27[3 * s + 2] = w * xq[2];
      }
      double acc[3] = {0, 0, 0};
      for (int e = 0; e < 8; ++e) {
        const double modulus = em[i + st.elem[e]];
        if (modulus == 0) continue;
        const int lp = 7 - e;  // the centre node is corner (1 - a, 1 - b, 1 - c) of element e
        double ue[24];
        for (int m = 0; m < 8; ++m) {
          const double* src = u27 + 3 * kLocal.at[e][m];
          ue[3 * m] = src[0];
          ue[3 * m + 1] = src[1];
          ue[3 * m + 2] = src[2];
        }
        const double* kr = ke.data() + 72 * lp;
        double s0 = 0, s1 = 0, s2 = 0;
        for (int t = 0; t < 24; ++t) {
          s0 += kr[t] * ue[t];
          s1 += kr[24 + t] * ue[t];
          s2 += kr[48 + t] * ue[t];
        }
        acc[0] += modulus * s0;
        acc[1] += modulus * s1;
        acc[2] += modulus * s2;
      }
      const std::uint8_t f = fixed ? (*fixed)[std::size_t(p)] : 0;
      for (int d = 0; d < 3; ++d) {
        const double v = (f >> d) & 1 ? 0.0 : h * acc[d];
        xy += x[3 * Index(p) + d] * v;
        if constexpr (kSubtract) {
          y[3 * Index(p) + d] -= v;
        } else {
          y[3 * Index(p) + d] = v;
        }
      }
    }
    return xy;
  });
}

}  // namespace

double apply_stiffness(const FeMesh& mesh, const ElementMatrix& ke, const DofMask* fixed,
                       const double* x, double* y) {
  return apply_kernel<false>(mesh, ke, fixed, x, y);
}

double subtract_stiffness(const FeMesh& mesh, const ElementMatrix& ke, const DofMask* fixed,
                          const double* x, double* y) {
  return apply_kernel<true>(mesh, ke, fixed, x, y);
}

std::vector<double> inverse_node_blocks(const FeMesh& mesh, const ElementMatrix& ke,
                                        const DofMask& fixed) {
  const GridShape& g = mesh.elements;
  const GridShape nodes = GridShape::make(g.nx + 1, g.ny + 1, g.nz + 1);
  std::vector<double> inv(6 * std::size_t(mesh.node_count));
  for_each_row(nodes, [&](int j, int k) {
    for (int i = 0; i < nodes.nx; ++i) {
      const std::int32_t p = mesh.node(i, j, k);
      if (p < 0) continue;
      double d[9] = {};
      for (int e = 0; e < 8; ++e) {
        const int a = e & 1, b = (e >> 1) & 1, c = e >> 2;
        const double modulus = mesh.modulus(i - 1 + a, j - 1 + b, k - 1 + c);
        const int lp = 7 - e;
        for (int r = 0; r < 3; ++r)
          for (int s = 0; s < 3; ++s)
            d[3 * r + s] += modulus * mesh.h_um * ke[24 * (3 * lp + r) + 3 * lp + s];
      }
      const std::uint8_t f = fixed[std::size_t(p)];
      for (int r = 0; r < 3; ++r) {
        if (!((f >> r) & 1)) continue;
        for (int s = 0; s < 3; ++s) d[3 * r + s] = d[3 * s + r] = 0;
        d[4 * r] = 1;
      }
      // Cofactor inverse of the symmetric positive definite block.
      const double c00 = d[4] * d[8] - d[5] * d[7], c01 = d[5] * d[6] - d[3] * d[8],
                   c02 = d[3] * d[7] - d[4] * d[6];
      const double det = d[0] * c00 + d[1] * c01 + d[2] * c02;
      double* o = inv.data() + 6 * Index(p);
      o[0] = c00 / det;
      o[1] = (d[0] * d[8] - d[2] * d[6]) / det;
      o[2] = (d[0] * d[4] - d[1] * d[3]) / det;
      o[3] = (d[2] * d[3] - d[0] * d[5]) / det;  // (1,2)
      o[4] = c02 / det;                          // (0,2)
      o[5] = c01 / det;                          // (0,1)
    }
  });
  return inv;
}

double apply_node_blocks(const std::vector<double>& inv, const DofMask& fixed, const double* r,
                         double* z) {
  return deterministic_sum<double>(
      0, Index(fixed.size()),
      [&](Index p) {
        const double* o = inv.data() + 6 * p;
        const double* rp = r + 3 * p;
        double* zp = z + 3 * p;
        const std::uint8_t f = fixed[std::size_t(p)];
        zp[0] = f & 1 ? 0.0 : o[0] * rp[0] + o[5] * rp[1] + o[4] * rp[2];
        zp[1] = f & 2 ? 0.0 : o[5] * rp[0] + o[1] * rp[1] + o[3] * rp[2];
        zp[2] = f & 4 ? 0.0 : o[4] * rp[0] + o[3] * rp[1] + o[2] * rp[2];
        return rp[0] * zp[0] + rp[1] * zp[1] + rp[2] * zp[2];
      },
      kNodeGrain);
}

double dot(Index n_dofs, const double* x, const double* y) {
  return deterministic_sum<double>(
      0, (n_dofs + 3 * kNodeGrain - 1) / (3 * kNodeGrain),
      [&](Index b) {
        double s = 0;
        const Index hi = std::min(n_dofs, (b + 1) * 3 * kNodeGrain);
        for (Index i = b * 3 * kNodeGrain; i < hi; ++i) s += x[i] * y[i];
        return s;
      },
      1);
}

}  // namespace bonesim
