// Validation of the implicit diffusion solver against analytic solutions and an explicit
// reference (docs/MODEL.md, section 6, "Validation").
#include "bonesim/fields/diffusion_solver.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <random>

namespace bonesim {
namespace {

constexpr double kD = 1.728e6;  // 20 um^2/s in um^2/day
constexpr double kH = 20.0;

double total(const Field<float>& c) {
  double s = 0;
  for (int k = 0; k < c.shape.nz; ++k)
    for (int j = 0; j < c.shape.ny; ++j)
      for (int i = 0; i < c.shape.nx; ++i) s += c(i, j, k);
  return s;
}

// Max relative error of the steady 1-D profile (fixed c0 = 1 at -x, no-flux at +x)
// against c0 cosh((L - x) / lambda) / cosh(L / lambda), L = 4000 um, k = 10 / day.
double steady_1d_error(int n) {
  const double h = 4000.0 / n, k = 10.0, lambda = std::sqrt(kD / k);
  const GridShape g = GridShape::make(n, 1, 1);
  DiffusionParams p;
  p.diffusivity_um2_per_day = kD;
  p.decay_per_day = k;
  p.boundary.type[0] = Boundary::kFixed;
  p.boundary.value[0] = 1.0;
  DiffusionSolver solver(Mask(g, 0), h, p);
  Field<float> c(g, 0.f);
  for (int s = 0; s < 3; ++s) solver.step(c, nullptr, 1e4, 1e-8);
  double err = 0;
  for (int i = 0; i < n; ++i) {
    const double x = (i + 0.5) * h;
    const double exact = std::cosh((4000.0 - x) / lambda) / std::cosh(4000.0 / lambda);
    err = std::max(err, std::abs(c(i, 0, 0) - exact) / exact);
  }
  return err;
}

TEST(DiffusionSolver, SteadyExponentialProfileIsSecondOrder) {
  const double e1 = steady_1d_error(200);  // h = 20 um: lambda ~ 21 voxels
  const double e2 = steady_1d_error(400);
  std::printf("1-D steady: max rel error %.3e (h=20) %.3e (h=10), ratio %.2f\n", e1, e2, e1 / e2);
  EXPECT_LT(e1, 0.01);
  EXPECT_GT(e1 / e2, 3.5);
  EXPECT_LT(e1 / e2, 6.0);
}

TEST(DiffusionSolver, SteadyPointSourceMatchesYukawa) {
  const int n = 64;
  const double k = 100.0, lambda = std::sqrt(kD / k);  // ~6.6 voxels
  const GridShape g = GridShape::make(n, n, n);
  DiffusionParams p;
  p.diffusivity_um2_per_day = kD;
  p.decay_per_day = k;
  for (auto& t : p.boundary.type) t = Boundary::kFixed;
  DiffusionSolver solver(Mask(g, 0), kH, p);
  Field<float> c(g, 0.f), src(g, 0.f);
  const double S = 1e9;  // pM um^3 / day
  const int m = n / 2;
  src(m, m, m) = float(S / (kH * kH * kH));
  for (int s = 0; s < 3; ++s) solver.step(c, &src, 1e3, 1e-8);
  double err = 0;
  for (int r = 4; r <= 12; ++r) {
    const int pts[3][3] = {{m + r, m, m}, {m, m - r, m}, {m, m, m + r}};
    for (const auto& q : pts) {
      const double rr = r * kH;
      const double exact = S * std::exp(-rr / lambda) / (4 * std::numbers::pi * kD * rr);
      err = std::max(err, std::abs(c(q[0], q[1], q[2]) - exact) / exact);
    }
  }
  std::printf("3-D point source: max rel error %.3e for r in [4h, 12h]\n", err);
  EXPECT_LT(err, 0.05);
}

Mask random_bone(const GridShape& g, double fraction, unsigned seed) {
  Mask b(g, 0);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) b(i, j, k) = u(rng) < fraction;
  return b;
}

Field<float> random_field(const GridShape& g, unsigned seed) {
  Field<float> c(g, 0.f);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0, 100);
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) c(i, j, k) = u(rng);
  return c;
}

TEST(DiffusionSolver, ConservesMassWithNoFluxAndNoDecay) {
  const GridShape g = GridShape::make(33, 31, 29);  // odd sizes: uneven coarsening
  DiffusionParams p;
  p.diffusivity_um2_per_day = kD;
  DiffusionSolver solver(random_bone(g, 0.3, 1), kH, p);
  Field<float> c = random_field(g, 2);
  const double m0 = total(c);
  double drift = 0;
  for (int s = 0; s < 50; ++s) {
    solver.step(c, nullptr, 1.0);
    drift = std::max(drift, std::abs(total(c) - m0) / m0);
  }
  std::printf("mass: max relative drift %.3e over 50 steps\n", drift);
  EXPECT_LT(drift, 5e-6);  // float storage: each step rounds every voxel
}

// A closed two-voxel bone shell in a 40^3 box, outside held at 100 by fixed faces, inside
// starting at 1, the bone at 0. Returns the largest deviation of the inside from
// (1 + dt k)^-steps and the largest |c| in the bone; `outside` gets c(0, 0, 0).
struct ShellResult {
  double inside = 0, bone = 0, outside = 0;
};
ShellResult closed_shell(double k, int steps, double tolerance) {
  const int n = 40;
  const GridShape g = GridShape::make(n, n, n);
  Mask bone(g, 0);
  Field<float> c(g, 0.f);
  auto ring = [&](int i, int j, int kk) {
    return std::max({std::abs(2 * i - n + 1), std::abs(2 * j - n + 1), std::abs(2 * kk - n + 1)});
  };
  for (int kk = 0; kk < n; ++kk)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        const int d = ring(i, j, kk);
        if (d < 19) c(i, j, kk) = 1.f;              // inside
        if (d >= 19 && d < 23) bone(i, j, kk) = 1;  // a two-voxel wall
      }
  DiffusionParams p;
  p.diffusivity_um2_per_day = kD;
  p.decay_per_day = k;
  for (int f = 0; f < 6; ++f) {
    p.boundary.type[f] = Boundary::kFixed;
    p.boundary.value[f] = 100.0;
  }
  DiffusionSolver solver(bone, kH, p);
  for (int s = 0; s < steps; ++s) solver.step(c, nullptr, 1.0, tolerance);
  ShellResult res;
  const double expect = std::pow(1.0 + k, -steps);
  for (int kk = 0; kk < n; ++kk)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        const int d = ring(i, j, kk);
        if (d < 19) res.inside = std::max(res.inside, std::abs(c(i, j, kk) - expect) / expect);
        if (bone(i, j, kk)) res.bone = std::max(res.bone, double(std::abs(c(i, j, kk))));
      }
  res.outside = c(0, 0, 0);
  return res;
}

TEST(DiffusionSolver, ClosedBoneShellKeepsItsInside) {
  // Each component is its own block of the multigrid preconditioner
  // (fields/multigrid.hpp), so a zero residual inside stays exactly zero.
  const ShellResult r = closed_shell(0.0, 30, 1e-6);
  std::printf("shell: max |c_inside - 1| = %.3e, max |c_bone| = %.3e after 30 steps\n", r.inside,
              r.bone);
  EXPECT_GT(r.outside, 50.0);  // the outside did fill up
  EXPECT_EQ(r.inside, 0.0);
  EXPECT_EQ(r.bone, 0.0);
}

TEST(DiffusionSolver, ClosedBoneShellInsideDecaysOnItsOwn) {
  // The inside is uniform, so it must follow c0 (1 + dt k)^-n however the outside fills.
  const ShellResult r = closed_shell(0.35, 20, 1e-6);
  std::printf("shell, k = 0.35/day: max rel. deviation of the inside from (1 + dt k)^-n = %.3e\n",
              r.inside);
  EXPECT_GT(r.outside, 50.0);
  EXPECT_LT(r.inside, 1e-6);  // float round-off over 20 steps
  EXPECT_EQ(r.bone, 0.0);
}

// Explicit FTCS at its stability limit dt = h^2 / (6 D), no-flux, as the time reference.
void ftcs(Field<float>& c, double dt, int steps) {
  const GridShape& g = c.shape;
  const double a = kD * dt / (kH * kH);
  std::vector<double> u(std::size_t(g.voxel_count())), v(u.size());
  auto id = [&](int i, int j, int k) { return std::size_t(i + g.nx * (j + g.ny * k)); };
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) u[id(i, j, k)] = c(i, j, k);
  for (int s = 0; s < steps; ++s) {
    for (int k = 0; k < g.nz; ++k)
      for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) {
          const double x = u[id(i, j, k)];
          double lap = 0;
          if (i > 0) lap += u[id(i - 1, j, k)] - x;
          if (i < g.nx - 1) lap += u[id(i + 1, j, k)] - x;
          if (j > 0) lap += u[id(i, j - 1, k)] - x;
          if (j < g.ny - 1) lap += u[id(i, j + 1, k)] - x;
          if (k > 0) lap += u[id(i, j, k - 1)] - x;
          if (k < g.nz - 1) lap += u[id(i, j, k + 1)] - x;
          v[id(i, j, k)] = x + a * lap;
        }
    std::swap(u, v);
  }
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) c(i, j, k) = float(u[id(i, j, k)]);
}

TEST(DiffusionSolver, TransientMatchesExplicitReference) {
  const int n = 40;
  const GridShape g = GridShape::make(n, n, n);
  Field<float> c0(g, 0.f);
  const double sigma = 8.0;
  for (int k = 0; k < n; ++k)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        const double r2 =
            (i - 19.5) * (i - 19.5) + (j - 19.5) * (j - 19.5) + (k - 19.5) * (k - 19.5);
        c0(i, j, k) = float(100 * std::exp(-r2 / (2 * sigma * sigma)));
      }
  const double dt_ftcs = kH * kH / (6 * kD);
  const int ftcs_steps = 240, ratio = 2;
  Field<float> ref = c0;
  ftcs(ref, dt_ftcs, ftcs_steps);
  DiffusionParams p;
  p.diffusivity_um2_per_day = kD;
  DiffusionSolver solver(Mask(g, 0), kH, p);
  Field<float> c = c0;
  for (int s = 0; s < ftcs_steps / ratio; ++s) solver.step(c, nullptr, ratio * dt_ftcs, 1e-7);
  double err = 0, peak = 0;
  for (int k = 0; k < n; ++k)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        err = std::max(err, double(std::abs(c(i, j, k) - ref(i, j, k))));
        peak = std::max(peak, double(ref(i, j, k)));
      }
  std::printf("transient: max |implicit - FTCS| / peak = %.3e (%d FTCS steps per step)\n",
              err / peak, ratio);
  EXPECT_LT(err / peak, 0.01);
}

TEST(DiffusionSolver, PeriodicFacesSpreadSymmetrically) {
  const GridShape g = GridShape::make(32, 4, 4);
  DiffusionParams p;
  p.diffusivity_um2_per_day = kD;
  p.boundary.type[0] = p.boundary.type[1] = Boundary::kPeriodic;
  DiffusionSolver solver(Mask(g, 0), kH, p);
  Field<float> c(g, 0.f);
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < 4; ++j) c(0, j, k) = 100.f;
  for (int s = 0; s < 5; ++s) solver.step(c, nullptr, 0.01, 1e-8);
  EXPECT_GT(c(31, 0, 0), 1.f);  // it crossed the periodic face
  for (int i = 1; i < 16; ++i) EXPECT_NEAR(c(i, 1, 2), c(32 - i, 1, 2), 1e-4 * c(i, 1, 2));
  EXPECT_NEAR(total(c), 1600.0, 1e-3);
}

TEST(DiffusionSolver, FixedFacesGiveTheLinearProfile) {
  const GridShape g = GridShape::make(30, 3, 5);
  DiffusionParams p;
  p.diffusivity_um2_per_day = kD;
  p.boundary.type[0] = p.boundary.type[1] = Boundary::kFixed;
  p.boundary.value[0] = 1.0;
  p.boundary.value[1] = 3.0;
  DiffusionSolver solver(Mask(g, 0), kH, p);
  Field<float> c(g, 0.f);
  for (int s = 0; s < 3; ++s) solver.step(c, nullptr, 1e4, 1e-9);
  for (int i = 0; i < 30; ++i) {
    EXPECT_NEAR(c(i, 2, 4), 1.0 + 2.0 * (i + 0.5) / 30, 1e-5) << i;  // exact for linear
  }
}

TEST(DiffusionSolver, NoFluxFacesKeepAUniformField) {
  const GridShape g = GridShape::make(20, 18, 16);
  DiffusionParams p;
  p.diffusivity_um2_per_day = kD;
  p.decay_per_day = 0.5;
  DiffusionSolver solver(Mask(g, 0), kH, p);
  Field<float> c(g, 4.f);
  solver.step(c, nullptr, 2.0);
  for (int k = 0; k < 16; ++k)
    for (int i = 0; i < 20; ++i) EXPECT_NEAR(c(i, 0, k), 2.f, 1e-5);  // 4 / (1 + dt k)
}

TEST(DiffusionSolver, BitIdenticalAtAnyThreadCount) {
  const GridShape g = GridShape::make(40, 36, 34);
  DiffusionParams p;
  p.diffusivity_um2_per_day = kD;
  p.bone_diffusivity_um2_per_day = 0.01 * kD;
  p.decay_per_day = 0.35;
  p.boundary.type[0] = Boundary::kFixed;
  p.boundary.value[0] = 10;
  p.boundary.type[2] = p.boundary.type[3] = Boundary::kPeriodic;
  const Mask bone = random_bone(g, 0.2, 3);
  const Field<float> src = random_field(g, 4);
  std::vector<Field<float>> out;
  for (int threads : {1, 2, 4}) {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, threads);
    DiffusionSolver solver(bone, kH, p);
    Field<float> c = random_field(g, 5);
    for (int s = 0; s < 3; ++s) solver.step(c, &src, 0.25);
    out.push_back(c);
  }
  for (std::size_t t = 1; t < out.size(); ++t) {
    EXPECT_EQ(
        0, std::memcmp(out[0].data.data(), out[t].data.data(), out[0].data.size() * sizeof(float)));
  }
}

TEST(DiffusionSolver, RejectsOddPeriodicAxis) {
  const GridShape g = GridShape::make(7, 4, 4);
  DiffusionParams p;
  p.diffusivity_um2_per_day = kD;
  p.boundary.type[0] = p.boundary.type[1] = Boundary::kPeriodic;
  EXPECT_THROW(DiffusionSolver(Mask(g, 0), kH, p), std::invalid_argument);
}

}  // namespace
}  // namespace bonesim
