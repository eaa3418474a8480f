#include "bonesim/mechanics/fe_operator.hpp"

#include <algorithm>
#include <stdexcept>

#include "bonesim/core/parallel.hpp"
#include "bonesim/mechanics/fe_gather.hpp"

namespace bonesim {
namespace {

constexpr Index kNodeGrain = 1024;  // nodes per reduction block

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
  return fe_detail::gather_nodes<true, false>(
      mesh, ke, x, [&](Index p, const double* kx, const double*) {
        const std::uint8_t f = fixed ? (*fixed)[std::size_t(p)] : 0;
        double xy = 0;
        for (int d = 0; d < 3; ++d) {
          const double v = (f >> d) & 1 ? 0.0 : kx[d];
          xy += x[3 * p + d] * v;
          if constexpr (kSubtract) {
            y[3 * p + d] -= v;
          } else {
            y[3 * p + d] = v;
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

double apply_node_blocks(const FeMesh& mesh, const ElementMatrix& ke, const DofMask& fixed,
                         const double* r, double* z) {
  // The blocks are rebuilt from the element moduli at each call rather than stored:
  // 8 moduli per node are cheaper to read than 6 stored inverse entries.
  return fe_detail::gather_nodes<false, true>(
      mesh, ke, nullptr, [&](Index p, const double*, const double* d) {
        double b[9];
        std::copy(d, d + 9, b);
        fe_detail::solve_node_block(b, fixed[std::size_t(p)], r + 3 * p, z + 3 * p);
        return r[3 * p] * z[3 * p] + r[3 * p + 1] * z[3 * p + 1] + r[3 * p + 2] * z[3 * p + 2];
      });
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
