#include "bonesim/mechanics/fe_multigrid.hpp"

#include <algorithm>
#include <cmath>

#include "bonesim/core/parallel.hpp"
#include "bonesim/mechanics/fe_gather.hpp"

namespace bonesim {
namespace {

using fe_detail::gather_nodes;
using fe_detail::solve_node_block;

constexpr int kCoarsestSide = 6;  // dense solve below this many voxels a side
// Coarse-grid corrections per visit of levels >= 1 (2: W-cycle). The rediscretised
// coarse levels resolve thin sheets and struts poorly, and each extra correction costs
// one application of a level that holds about a fifth of the elements of the level
// above; on 160^3 gyroid sheets the W-cycle halved the iterations of the V-cycle.
constexpr int kCoarseCorrections = 2;
// Each coarse level's moduli are scaled by this factor relative to the level above.
// Rediscretised coarse elements are too stiff for the bending of thin sheets and struts
// (trilinear hexahedra lock in bending, and a coarse element smears a sheet over a
// thicker one), so their corrections fall short; scaling over-corrects (cf. Blaheta,
// J Comput Appl Math 24 (1988) 227 [reference from memory], coarse-grid over-correction). Smooth
// modes, which every level resolves, are then over-corrected by 1 / 0.75 per level; the factor is a
// measured compromise. 160^3 gyroid sheets, W-cycle, iterations fixed / free plates:
// 1: 20 / 34; 0.75: 16 / 26; 0.7: 18 / 24; 0.65: 25 / 22; 0.6: 157 / 21 (the
// compounded over-correction spoils the cycle). Scaling only level 1 (0.5, 0.6): 19 / 30.
constexpr double kCoarseStiffnessScale = 0.75;

// 1-D prolongation from coarse index c to fine index f: 1 at f = 2c, 1/2 at f = 2c -+ 1.
// Node of f at (i, j, k), -1 off the mesh; coordinates may run one past either end.
inline std::int32_t node_or_none(const FeMesh& f, int i, int j, int k) {
  const GridShape& g = f.elements;
  return i > g.nx || j > g.ny || k > g.nz ? -1 : f.node(i, j, k);
}

inline double weight1(int f, int c) {
  const int d = f - 2 * c;
  return d == 0 ? 1.0 : (d == 1 || d == -1) ? 0.5 : 0.0;
}

// Degree-2 Chebyshev iteration on D^-1 A over [lmin, lmax] (Adams, Brezina, Hu &
// Tuminaro, J Comput Phys 188 (2003) 593, Algorithm 1 / Saad 2003, Algorithm 12.1):
// d0 = t D^-1 r0, x1 = x0 + d0, d1 = a d0 + c D^-1 r1, x2 = x1 + d1.
struct Chebyshev2 {
  double t, a, c;
  Chebyshev2(double lmin, double lmax) {
    const double theta = 0.5 * (lmax + lmin), delta = 0.5 * (lmax - lmin);
    const double rho0 = delta / theta, rho1 = 1 / (2 * theta / delta - rho0);
    t = 1 / theta;
    a = rho1 * rho0;
    c = 2 * rho1 / delta;
  }
};

}  // namespace

double FeMultigrid::block_jacobi_bound(const ElementMatrix& ke) {
  Eigen::MatrixXd k(24, 24), d = Eigen::MatrixXd::Zero(24, 24);
  for (int i = 0; i < 24; ++i)
    for (int j = 0; j < 24; ++j) k(i, j) = ke[std::size_t(24 * i + j)];
  for (int n = 0; n < 8; ++n) d.block(3 * n, 3 * n, 3, 3) = k.block(3 * n, 3 * n, 3, 3);
  // x^T K x = sum_e x_e^T K_e x_e <= mu sum_e x_e^T D_e x_e = mu x^T D x, mu the largest
  // eigenvalue of K_e v = mu D_e v (the same for every E and h).
  Eigen::GeneralizedSelfAdjointEigenSolver<Eigen::MatrixXd> es(k, d, Eigen::EigenvaluesOnly);
  return es.eigenvalues().maxCoeff();
}

FeMultigrid::FeMultigrid(const FeMesh& fine, const DofMask& fine_fixed, const Mask& bearing,
                         int axis, const ElementMatrix& ke)
    : fine_(&fine), fine_fixed_(&fine_fixed), ke_(ke) {
  lmax_ = block_jacobi_bound(ke);
  lmin_ = lmax_ / 10;  // smooth the top 90 % of the bounded spectrum (degree 1-3 and
                       // ratios 5-30 tried: degree 2 / 10 was fastest on a gyroid sample)
  const std::uint8_t bit = std::uint8_t(1 << axis);
  levels_.emplace_back();
  const Index fine_elems = fine.element_count();
  // Level-0 nodes touched by a bearing element: the others are fixed at zero and must
  // not hold coarse dofs fixed.
  std::vector<std::uint8_t> fine_active(std::size_t(fine.node_count), 0);
  {
    const GridShape& g = fine.elements;
    for (int k = 0; k < g.nz; ++k)
      for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i)
          if (fine.modulus(i, j, k) > 0 && (bearing(i, j, k) & bit))
            for (int c = 0; c < 8; ++c)
              fine_active[std::size_t(fine.node(i + (c & 1), j + ((c >> 1) & 1), k + (c >> 2)))] =
                  1;
  }
  while (true) {
    const FeMesh& f = mesh(int(levels_.size()) - 1);
    const GridShape& fg = f.elements;
    if (std::max({fg.nx, fg.ny, fg.nz}) <= kCoarsestSide) break;
    const bool first = levels_.size() == 1;
    Field<float> cm(GridShape::make((fg.nx + 1) / 2, (fg.ny + 1) / 2, (fg.nz + 1) / 2), 0.f);
    for_each_voxel(cm.shape, [&](int i, int j, int k) {
      double s = 0;
      for (int c = 0; c < 8; ++c) {
        const int a = 2 * i + (c & 1), b = 2 * j + ((c >> 1) & 1), e = 2 * k + (c >> 2);
        if (!fg.contains(a, b, e)) continue;
        if (first && !(bearing(a, b, e) & bit)) continue;
        s += f.modulus(a, b, e);
      }
      cm(i, j, k) = float(kCoarseStiffnessScale * s / 8);
    });
    FeLevel lv;
    lv.mesh = make_fe_mesh(cm, 2 * f.h_um);
    const DofMask& up = fixed(int(levels_.size()) - 1);
    lv.fixed.assign(std::size_t(lv.mesh.node_count), 0);
    const GridShape& cg = cm.shape;
    for_each_voxel(GridShape::make(cg.nx + 1, cg.ny + 1, cg.nz + 1), [&](int i, int j, int k) {
      const std::int32_t p = lv.mesh.node(i, j, k);
      if (p < 0) return;
      std::uint8_t bits = 0;
      for (int c = -1; c <= 1; ++c)
        for (int b = -1; b <= 1; ++b)
          for (int a = -1; a <= 1; ++a) {
            const std::int32_t q = node_or_none(f, 2 * i + a, 2 * j + b, 2 * k + c);
            if (q >= 0 && (!first || fine_active[std::size_t(q)])) bits |= up[std::size_t(q)];
          }
      lv.fixed[std::size_t(p)] = bits;
    });
    const std::size_t nd = 3 * std::size_t(lv.mesh.node_count);
    lv.x.assign(nd, 0.0);
    lv.b.assign(nd, 0.0);
    lv.s.assign(nd, 0.0);
    lv.corrections = kCoarseCorrections;
    lv.work = double(lv.mesh.element_count()) / double(std::max<Index>(fine_elems, 1));
    levels_.push_back(std::move(lv));
  }
  levels_[0].s.assign(3 * std::size_t(fine.node_count), 0.0);
  build_coarse_solver();
  // Cost: per visit of a smoothed level 4 applications (2 per smoother) and one residual
  // per extra correction; level l + 1 is visited `corrections` times per visit of l.
  // Transfers and the dense coarsest solve (gathers without element matrices, and
  // under 1 % of a fine application) are not counted.
  cost_ = 0;
  double visits = 1;
  for (std::size_t l = 0; l + 1 < levels_.size(); ++l) {
    const FeLevel& lv = levels_[l];
    cost_ += visits * (4 + lv.corrections - 1) * lv.work;
    visits *= lv.corrections;
  }
}

void FeMultigrid::build_coarse_solver() {
  // Dense LDL^T of the coarsest level, fixed dofs replaced by identity rows.
  const int lc = int(levels_.size()) - 1;
  const FeMesh& cmesh = mesh(lc);
  const DofMask& cfix = fixed(lc);
  const Index nd = 3 * Index(cmesh.node_count);
  Eigen::MatrixXd a(nd, nd);
  std::vector<double> e(static_cast<std::size_t>(nd), 0.0), col(static_cast<std::size_t>(nd));
  for (Index c = 0; c < nd; ++c) {
    e[std::size_t(c)] = 1;
    apply_stiffness(cmesh, ke_, &cfix, e.data(), col.data());
    e[std::size_t(c)] = 0;
    for (Index r = 0; r < nd; ++r) a(r, c) = col[std::size_t(r)];
    if ((cfix[std::size_t(c / 3)] >> (c % 3)) & 1) a(c, c) = 1;
  }
  coarse_.compute(a);
}

std::size_t FeMultigrid::bytes() const {
  std::size_t s = 0;
  for (const FeLevel& v : levels_) {
    s += v.mesh.bytes() + v.fixed.size() + sizeof(double) * (v.x.size() + v.b.size() + v.s.size());
  }
  return s + sizeof(double) * std::size_t(coarse_.matrixLDLT().size());
}

// The smoothers run on three vectors, b, x and s, with every node-local update fused into
// a gather of K times one of them (fe_gather.hpp), so no step needs a fourth vector.

void FeMultigrid::presmooth(int l, const double* b, double* x, double* s) const {
  // From x0 = 0: x1 = d0 = t D^-1 b (held in s), x2 = (1 + a) x1 + c D^-1 (b - A x1),
  // then s = b - A x2 for the restriction.
  const Chebyshev2 ch(lmin_, lmax_);
  const FeMesh& m = mesh(l);
  const DofMask& fx = fixed(l);
  gather_nodes<false, true>(m, ke_, nullptr, [&](Index p, const double*, const double* d) {
    double blk[9], z[3];
    std::copy(d, d + 9, blk);
    solve_node_block(blk, fx[std::size_t(p)], b + 3 * p, z);
    for (int i = 0; i < 3; ++i) s[3 * p + i] = ch.t * z[i];
    return 0.0;
  });
  gather_nodes<true, true>(m, ke_, s, [&](Index p, const double* kx, const double* d) {
    double blk[9], r[3], z[3];
    std::copy(d, d + 9, blk);
    for (int i = 0; i < 3; ++i) r[i] = b[3 * p + i] - kx[i];
    solve_node_block(blk, fx[std::size_t(p)], r, z);
    for (int i = 0; i < 3; ++i) x[3 * p + i] = (1 + ch.a) * s[3 * p + i] + ch.c * z[i];
    return 0.0;
  });
  residual(l, b, x, s);
}

void FeMultigrid::postsmooth(int l, const double* b, double* x, double* s) const {
  // From x0 (x on entry): d0 = t D^-1 (b - A x0) into s, then with r0 = D d0 / t,
  // x2 = x0 + (1 + a) d0 + c D^-1 (r0 - A d0) = x0 + (1 + a + c / t) d0 - c D^-1 A d0.
  const Chebyshev2 ch(lmin_, lmax_);
  const FeMesh& m = mesh(l);
  const DofMask& fx = fixed(l);
  gather_nodes<true, true>(m, ke_, x, [&](Index p, const double* kx, const double* d) {
    double blk[9], r[3], z[3];
    std::copy(d, d + 9, blk);
    for (int i = 0; i < 3; ++i) r[i] = b[3 * p + i] - kx[i];
    solve_node_block(blk, fx[std::size_t(p)], r, z);
    for (int i = 0; i < 3; ++i) s[3 * p + i] = ch.t * z[i];
    return 0.0;
  });
  const double e = 1 + ch.a + ch.c / ch.t;
  gather_nodes<true, true>(m, ke_, s, [&](Index p, const double* kx, const double* d) {
    double blk[9], z[3];
    std::copy(d, d + 9, blk);
    solve_node_block(blk, fx[std::size_t(p)], kx, z);
    for (int i = 0; i < 3; ++i) x[3 * p + i] += e * s[3 * p + i] - ch.c * z[i];
    return 0.0;
  });
}

void FeMultigrid::residual(int l, const double* b, const double* x, double* s) const {
  const DofMask& fx = fixed(l);
  gather_nodes<true, false>(mesh(l), ke_, x, [&](Index p, const double* kx, const double*) {
    const std::uint8_t f = fx[std::size_t(p)];
    for (int i = 0; i < 3; ++i) s[3 * p + i] = (f >> i) & 1 ? 0.0 : b[3 * p + i] - kx[i];
    return 0.0;
  });
}

void FeMultigrid::restrict_to(int l, const double* fr, double* cb) const {
  const FeMesh& f = mesh(l);
  const FeMesh& c = mesh(l + 1);
  const DofMask& cfix = fixed(l + 1);
  const GridShape& cg = c.elements;
  for_each_voxel(GridShape::make(cg.nx + 1, cg.ny + 1, cg.nz + 1), [&](int i, int j, int k) {
    const std::int32_t p = c.node(i, j, k);
    if (p < 0) return;
    double s[3] = {0, 0, 0};
    for (int cc = -1; cc <= 1; ++cc)
      for (int b = -1; b <= 1; ++b)
        for (int a = -1; a <= 1; ++a) {
          const std::int32_t q = node_or_none(f, 2 * i + a, 2 * j + b, 2 * k + cc);
          if (q < 0) continue;
          const double w = (a ? 0.5 : 1.0) * (b ? 0.5 : 1.0) * (cc ? 0.5 : 1.0);
          for (int d = 0; d < 3; ++d) s[d] += w * fr[3 * Index(q) + d];
        }
    const std::uint8_t fx = cfix[std::size_t(p)];
    for (int d = 0; d < 3; ++d) cb[3 * Index(p) + d] = (fx >> d) & 1 ? 0.0 : s[d];
  });
}

void FeMultigrid::prolong_add(int l, const double* cx, double* fx) const {
  const FeMesh& f = mesh(l);
  const FeMesh& c = mesh(l + 1);
  const DofMask& ffix = fixed(l);
  const GridShape& fg = f.elements;
  for_each_voxel(GridShape::make(fg.nx + 1, fg.ny + 1, fg.nz + 1), [&](int i, int j, int k) {
    const std::int32_t p = f.node(i, j, k);
    if (p < 0) return;
    const std::uint8_t fx8 = ffix[std::size_t(p)];
    if (fx8 == 7) return;
    double s[3] = {0, 0, 0};
    for (int cc = k / 2; cc <= (k + 1) / 2; ++cc)
      for (int b = j / 2; b <= (j + 1) / 2; ++b)
        for (int a = i / 2; a <= (i + 1) / 2; ++a) {
          const std::int32_t q = c.node(a, b, cc);
          if (q < 0) continue;
          const double w = weight1(i, a) * weight1(j, b) * weight1(k, cc);
          for (int d = 0; d < 3; ++d) s[d] += w * cx[3 * Index(q) + d];
        }
    for (int d = 0; d < 3; ++d)
      if (!((fx8 >> d) & 1)) fx[3 * Index(p) + d] += s[d];
  });
}

void FeMultigrid::cycle(int l, const double* b, double* x, double* s) {
  const Index nd = 3 * Index(mesh(l).node_count);
  if (l + 1 == int(levels_.size())) {
    Eigen::Map<const Eigen::VectorXd> bv(b, nd);
    Eigen::Map<Eigen::VectorXd> xv(x, nd);
    xv = coarse_.solve(bv);
    const DofMask& fx = fixed(l);
    for (Index i = 0; i < nd; ++i)
      if ((fx[std::size_t(i / 3)] >> (i % 3)) & 1) x[i] = 0;
    return;
  }
  presmooth(l, b, x, s);
  FeLevel& cl = levels_[std::size_t(l + 1)];
  for (int c = 0; c < levels_[std::size_t(l)].corrections; ++c) {
    if (c > 0) residual(l, b, x, s);
    restrict_to(l, s, cl.b.data());
    cycle(l + 1, cl.b.data(), cl.x.data(), cl.s.data());
    prolong_add(l, cl.x.data(), x);
  }
  postsmooth(l, b, x, s);
}

double FeMultigrid::apply(const double* r, double* z) {
  cycle(0, r, z, levels_[0].s.data());
  return dot(3 * Index(fine_->node_count), r, z);
}

}  // namespace bonesim
