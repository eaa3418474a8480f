// Backward-Euler diffusion step solved by multigrid-preconditioned conjugate gradients
// (docs/MODEL.md, section 6). The operator (1 + dt k) I + dt L is SPD for dt > 0 even with
// k = 0, no-flux faces and enclosed pores, so CG applies without a nullspace fix.
#include "bonesim/fields/diffusion_solver.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "bonesim/core/parallel.hpp"
#include "bonesim/fields/multigrid.hpp"

namespace bonesim {

namespace {

// Two sums in one pass through the same deterministic reduction tree.
struct Sum2 {
  double a = 0, b = 0;
  Sum2& operator+=(const Sum2& o) {
    a += o.a;
    b += o.b;
    return *this;
  }
  Sum2 operator+(const Sum2& o) const { return Sum2(*this) += o; }
};

// Sweep-equivalent weights of the vector passes (bytes per voxel / Multigrid::kSweepBytes).
constexpr double kApply = 13.0 / Multigrid::kSweepBytes;
constexpr double kUpdate = 24.0 / Multigrid::kSweepBytes;  // x, r += ; |r|^2
constexpr double kDot = 8.0 / Multigrid::kSweepBytes;
constexpr double kDirection = 12.0 / Multigrid::kSweepBytes;

double reference_diffusivity(const DiffusionParams& p) {
  return std::max(p.diffusivity_um2_per_day, p.bone_diffusivity_um2_per_day);
}

}  // namespace

struct DiffusionSolver::Impl {
  Mask bone;
  double h = 1;
  DiffusionParams params;
  std::optional<Multigrid> mg;
  Field<float> r, p, z;

  void rebuild() {
    if (params.diffusivity_um2_per_day < 0 || params.bone_diffusivity_um2_per_day < 0 ||
        params.decay_per_day < 0) {
      throw std::invalid_argument("diffusion: diffusivities and decay must be >= 0");
    }
    const double ref = reference_diffusivity(params);
    const double scale = ref > 0 ? 1.0 / ref : 0.0;
    mg.emplace(bone, params.boundary, params.diffusivity_um2_per_day * scale,
               params.bone_diffusivity_um2_per_day * scale);
  }
};

DiffusionSolver::DiffusionSolver(const Mask& bone, double voxel_size_um,
                                 const DiffusionParams& params)
    : impl_(std::make_unique<Impl>()) {
  if (!(voxel_size_um > 0)) throw std::invalid_argument("diffusion: voxel size must be > 0");
  impl_->bone = bone;
  impl_->h = voxel_size_um;
  impl_->params = params;
  impl_->rebuild();
}

DiffusionSolver::~DiffusionSolver() = default;
DiffusionSolver::DiffusionSolver(DiffusionSolver&&) noexcept = default;
DiffusionSolver& DiffusionSolver::operator=(DiffusionSolver&&) noexcept = default;

void DiffusionSolver::set_bone(const Mask& bone) {
  impl_->bone = bone;
  impl_->rebuild();
}

bool DiffusionSolver::same_structure(const DiffusionParams& a, const DiffusionParams& b) {
  auto bone_ratio = [](const DiffusionParams& p) {
    return p.bone_diffusivity_um2_per_day / std::max(reference_diffusivity(p), 1e-300);
  };
  return a.boundary.type == b.boundary.type && bone_ratio(a) == bone_ratio(b) &&
         (a.diffusivity_um2_per_day > 0) == (b.diffusivity_um2_per_day > 0);
}

void DiffusionSolver::set_params(const DiffusionParams& params) {
  const bool rebuild = !same_structure(impl_->params, params);
  impl_->params = params;
  if (rebuild) impl_->rebuild();
}

const DiffusionParams& DiffusionSolver::params() const {
  return impl_->params;
}

std::size_t DiffusionSolver::scratch_bytes() const {
  return impl_->mg->bytes() + 3 * sizeof(float) * std::size_t(impl_->bone.shape.storage_size());
}

SolveStats DiffusionSolver::step(Field<float>& c, const Field<float>* source, double dt_days,
                                 double tolerance) {
  Impl& m = *impl_;
  const GridShape& g = m.bone.shape;
  if (!(c.shape == g) || (source && !(source->shape == g))) {
    throw std::invalid_argument("diffusion: field shape differs from the bone mask");
  }
  if (!(dt_days > 0)) throw std::invalid_argument("diffusion: dt must be > 0");
  if (m.r.shape != g) {
    m.r = Field<float>(g, 0.f);
    m.p = Field<float>(g, 0.f);
    m.z = Field<float>(g, 0.f);
  }
  Multigrid& mg = *m.mg;
  const DiffusionParams& P = m.params;
  const StencilScale s{float(1 + dt_days * P.decay_per_day),
                       float(dt_days * reference_diffusivity(P) / (m.h * m.h))};
  SolveStats st;

  // b = c_old + dt s + fixed-face terms, built in r.
  const float fdt = float(dt_days);
  for_each_row(g, [&](int j, int k) {
    const float* cr = c.row(j, k);
    const float* sr = source ? source->row(j, k) : nullptr;
    float* rr = m.r.row(j, k);
    for (int i = 0; i < g.nx; ++i) rr[i] = sr ? cr[i] + fdt * sr[i] : cr[i];
  });
  // A fixed face value c_b enters as 2 g (c_b - c_1): the ghost 2 c_b - c_1 at the face.
  // Faces one after another: voxels on edges get their terms in a fixed order.
  for (int f = 0; f < 6; ++f) {
    if (P.boundary.type[std::size_t(f)] != Boundary::kFixed) continue;
    const float cb = float(P.boundary.value[std::size_t(f)]);
    const int a = f / 2;
    const int n1 = a == 0 ? g.ny : g.nx, n2 = a == 2 ? g.ny : g.nz;
    const int at = (f % 2 == 0) ? 0 : (a == 0 ? g.nx : (a == 1 ? g.ny : g.nz)) - 1;
    parallel_for(0, Index(n1) * n2, [&](Index t) {
      const int u = int(t % n1), v = int(t / n1);
      const int i = a == 0 ? at : u, j = a == 1 ? at : (a == 0 ? u : v), k = a == 2 ? at : v;
      m.r(i, j, k) += s.g * mg.fine_face(f, i, j, k) * cb;
    });
  }
  // Enclosed components are blocks of A of their own: each must meet the tolerance
  // against its own right-hand side, however large the rest is.
  const std::vector<Index>& minor = mg.minor_voxels();
  const std::vector<Index>& minor_begin = mg.minor_begin();
  const Index n_minor = Index(minor_begin.size()) - 1;
  std::vector<double> minor_b2(std::size_t(std::max<Index>(n_minor, 0)));
  auto minor_norms = [&](const Field<float>& v, std::vector<double>& out) {
    parallel_for(0, n_minor, [&](Index t) {
      double acc = 0;
      for (Index q = minor_begin[std::size_t(t)]; q < minor_begin[std::size_t(t) + 1]; ++q) {
        const double x = v.data[std::size_t(minor[std::size_t(q)])];
        acc += x * x;
      }
      out[std::size_t(t)] = acc;
    });
  };
  minor_norms(m.r, minor_b2);
  // Warm start of an enclosed component: the step without diffusion, (c_old + dt s) /
  // (1 + dt k). Exact for a uniform pore with a uniform source, which then needs no
  // iteration at all: its decay follows (1 + dt k)^-n to round-off.
  parallel_for(
      0, Index(minor.size()),
      [&](Index q) {
        float& v = c.data[std::size_t(minor[std::size_t(q)])];
        v = m.r.data[std::size_t(minor[std::size_t(q)])] / s.m;
      },
      256);
  mg.apply(s, c, m.z);
  const Sum2 n0 = deterministic_row_sum<Sum2>(g, [&](int j, int k) {
    float* rr = m.r.row(j, k);
    float* cr = c.row(j, k);
    const float* ar = m.z.row(j, k);
    const std::uint8_t* f = mg.flags().row(j, k);
    Sum2 acc;
    for (int i = 0; i < g.nx; ++i) {
      acc.a += double(rr[i]) * rr[i];
      rr[i] -= ar[i];
      if (mg.isolated(f[i])) {  // a voxel on its own: (1 + dt k) c = b, solved here
        cr[i] += rr[i] / s.m;
        rr[i] = 0;
      }
      acc.b += double(rr[i]) * rr[i];
    }
    return acc;
  });
  st.sweep_equivalents = 0.5 + kApply + kUpdate / 2;
  const double bnorm = std::sqrt(n0.a);
  double rnorm = std::sqrt(n0.b);
  if (bnorm == 0) {  // b = 0: the solution is 0
    for_each_row(g, [&](int j, int k) { std::fill(c.row(j, k), c.row(j, k) + g.nx, 0.f); });
    return st;
  }
  std::vector<double> minor_r2(minor_b2.size());
  auto converged = [&] {
    if (rnorm > tolerance * bnorm) return false;
    if (n_minor <= 0) return true;
    minor_norms(m.r, minor_r2);
    // The floor keeps a component with b = 0 from asking for an exact zero.
    const double floor2 = 1e-12 * bnorm * bnorm;
    for (std::size_t t = 0; t < minor_r2.size(); ++t) {
      if (minor_r2[t] > tolerance * tolerance * std::max(minor_b2[t], floor2)) return false;
    }
    return true;
  };
  constexpr int kMaxIterations = 500;
  double rz = 0;
  while (!converged() && st.iterations < kMaxIterations) {
    mg.vcycle(s, m.r, m.z);
    st.sweep_equivalents += mg.last_vcycle_sweeps();
    const double rz_new = deterministic_row_sum<double>(g, [&](int j, int k) {
      const float* rr = m.r.row(j, k);
      const float* zr = m.z.row(j, k);
      double acc = 0;
      for (int i = 0; i < g.nx; ++i) acc += double(rr[i]) * zr[i];
      return acc;
    });
    const float beta = st.iterations == 0 ? 0.f : float(rz_new / rz);
    rz = rz_new;
    for_each_row(g, [&](int j, int k) {
      const float* zr = m.z.row(j, k);
      float* pr = m.p.row(j, k);
      for (int i = 0; i < g.nx; ++i) pr[i] = zr[i] + beta * pr[i];
    });
    const double pq = mg.apply(s, m.p, m.z);  // q = A p, in z
    st.sweep_equivalents += kDot + kDirection + kApply + kUpdate;
    if (!(pq > 0)) break;  // A is SPD: only a zero direction gets here
    const float alpha = float(rz / pq);
    const double rr2 = deterministic_row_sum<double>(g, [&](int j, int k) {
      float* cr = c.row(j, k);
      float* rr = m.r.row(j, k);
      const float* pr = m.p.row(j, k);
      const float* qr = m.z.row(j, k);
      double acc = 0;
      for (int i = 0; i < g.nx; ++i) {
        cr[i] += alpha * pr[i];
        rr[i] -= alpha * qr[i];
        acc += double(rr[i]) * rr[i];
      }
      return acc;
    });
    rnorm = std::sqrt(rr2);
    ++st.iterations;
  }
  st.relative_residual = rnorm / bnorm;
  return st;
}

}  // namespace bonesim
