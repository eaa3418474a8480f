// Validation of the voxel micro-FE solver: homogeneous and layered samples with exact
// answers, an independent sparse direct solve, floating bone, warm start, threads.
#include "bonesim/mechanics/voxel_fe.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <Eigen/Dense>
#include <Eigen/SparseCholesky>

#include <cmath>
#include <cstring>
#include <random>

namespace bonesim {
namespace {

using Lateral = LoadCase::Lateral;
constexpr double kH = 20.0;  // um

Field<float> solid(int nx, int ny, int nz, float e) {
  return Field<float>(GridShape::make(nx, ny, nz), e);
}

double mean_sed(const Field<float>& sed, const Field<float>& modulus) {
  double s = 0;
  int n = 0;
  const GridShape& g = sed.shape;
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i)
        if (modulus(i, j, k) > 0) s += sed(i, j, k), ++n;
  return s / n;
}

FeOptions tight(double nu = 0.3, FePreconditioner pc = FePreconditioner::kMultigrid) {
  FeOptions o;
  o.preconditioner = pc;
  o.poisson_ratio = nu;
  o.tolerance = 1e-11;
  return o;
}

// 3x3x3 cube, E = 1000 MPa, nu = 0.3, eps = -1 %. Uniaxial stress: E eps^2 / 2 = 0.05;
// uniaxial strain: (lambda + 2 mu) eps^2 / 2 = 0.067308; between bonded plates the
// lateral restraint near the plates raises the energy to 0.0537 (centre) / 0.0551
// (Gauss average = exact element energy) for this mesh.
TEST(VoxelFe, HomogeneousCube) {
  const Field<float> m = solid(3, 3, 3, 1000.f);
  for (int axis = 0; axis < 3; ++axis) {
    FeOptions o = tight();
    VoxelFeSolver s(m, kH, o);
    const FeResult fr = s.solve({axis, -0.01, Lateral::kFree});
    ASSERT_TRUE(fr.converged);
    EXPECT_NEAR(mean_sed(fr.sed_MPa, m), 0.05, 0.05e-3) << axis;
    EXPECT_NEAR(fr.apparent_modulus_MPa, 1000.0, 1000.0 * 1e-6) << axis;
    EXPECT_NEAR(fr.effective_strain(1, 1, 1), 0.01, 1e-6) << axis;
    const FeResult cr = s.solve({axis, -0.01, Lateral::kConfined});
    EXPECT_NEAR(mean_sed(cr.sed_MPa, m), 0.067308, 0.067308e-3) << axis;
    const FeResult pr = s.solve({axis, -0.01, Lateral::kFixedPlates});
    EXPECT_NEAR(mean_sed(pr.sed_MPa, m), 0.0537, 0.0537e-3) << axis;
    EXPECT_NEAR(mean_sed(s.sed(pr.displacement_um, SedPoint::kGaussAverage), m), 0.0551, 0.0551e-3)
        << axis;
    // Gauss-average SED integrates the element energy exactly: sum = 1/2 u.K u.
    const double v = 27 * kH * kH * kH;
    EXPECT_NEAR(mean_sed(s.sed(pr.displacement_um, SedPoint::kGaussAverage), m) * v,
                pr.strain_energy_MPa_um3, 1e-5 * pr.strain_energy_MPa_um3);
  }
}

// Layers normal to z, alternating E1 = 1000 and E2 = 100 MPa (f1 = f2 = 1/2).
// Along the layers with free plates and equal nu every layer is in the same uniaxial
// stress state with the same strains, a linear field the mesh represents: Voigt exactly.
// Across the layers the stress is uniform, but with nu != 0 and free sides the layers'
// lateral strains differ and are incompatible, so exact Reuss needs nu = 0 (free);
// confined sides (uniaxial strain) give Reuss of the constrained moduli instead.
TEST(VoxelFe, LayeredCompositeIsVoigtAlongAndReussAcross) {
  const double e1 = 1000, e2 = 100;
  Field<float> m = solid(4, 5, 6, 0.f);
  for (int k = 0; k < 6; ++k)
    for (int j = 0; j < 5; ++j)
      for (int i = 0; i < 4; ++i) m(i, j, k) = float(k % 2 == 0 ? e1 : e2);
  {
    VoxelFeSolver s(m, kH, tight(0.3));
    const FeResult r = s.solve({0, -0.01, Lateral::kFree});
    EXPECT_NEAR(r.apparent_modulus_MPa, 0.5 * e1 + 0.5 * e2, 1e-6 * 550);
    const FeResult r2 = s.solve({1, 0.005, Lateral::kFree});
    EXPECT_NEAR(r2.apparent_modulus_MPa, 0.5 * e1 + 0.5 * e2, 1e-6 * 550);
  }
  {
    VoxelFeSolver s(m, kH, tight(0.0));
    const FeResult r = s.solve({2, -0.01, Lateral::kFree});
    const double reuss = 1 / (0.5 / e1 + 0.5 / e2);
    EXPECT_NEAR(r.apparent_modulus_MPa, reuss, 1e-6 * reuss);
  }
  {
    const double nu = 0.3, c = (1 - nu) / ((1 + nu) * (1 - 2 * nu));  // M = c E
    VoxelFeSolver s(m, kH, tight(nu));
    const FeResult r = s.solve({2, -0.01, Lateral::kConfined});
    const double reuss = 1 / (0.5 / (c * e1) + 0.5 / (c * e2));
    EXPECT_NEAR(r.apparent_modulus_MPa, reuss, 1e-6 * reuss);
  }
}

// Random bone joined into one piece by a column, random moduli.
Field<float> random_structure(int nx, int ny, int nz, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  Field<float> m = solid(nx, ny, nz, 0.f);
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i)
        if (u(rng) < 0.5 || (i == nx / 2 && j == ny / 2)) m(i, j, k) = float(200 + 1800 * u(rng));
  return m;
}

struct DirectSolution {
  Eigen::VectorXd u;  // 3 per grid node (i + (nx + 1) (j + (ny + 1) k))
  double reaction = 0;
};

// Assembles K over all grid nodes from the reference element and solves with the plates
// (and, for free plates, pins A = (pi, pj, 0): x, y and (pi, pj + 1, 0): x) eliminated.
DirectSolution direct_solve(const Field<float>& m, double nu, const LoadCase& lc, int pi, int pj) {
  const GridShape& g = m.shape;
  const int mx = g.nx + 1, my = g.ny + 1, mz = g.nz + 1, n = 3 * mx * my * mz;
  const auto node = [&](int i, int j, int k) { return i + mx * (j + my * k); };
  const ElementMatrix ke = hex8_stiffness(nu);
  std::vector<Eigen::Triplet<double>> trip;
  std::vector<bool> used(std::size_t(mx * my * mz), false);
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        if (m(i, j, k) == 0) continue;
        int dof[24];
        for (int c = 0; c < 8; ++c) {
          const int p = node(i + (c & 1), j + ((c >> 1) & 1), k + (c >> 2));
          used[std::size_t(p)] = true;
          for (int d = 0; d < 3; ++d) dof[3 * c + d] = 3 * p + d;
        }
        for (int a = 0; a < 24; ++a)
          for (int b = 0; b < 24; ++b)
            trip.emplace_back(dof[a], dof[b], m(i, j, k) * kH * ke[std::size_t(24 * a + b)]);
      }
  Eigen::SparseMatrix<double> k(n, n);
  k.setFromTriplets(trip.begin(), trip.end());
  std::vector<int> fixed(std::size_t(n), 0);
  Eigen::VectorXd up = Eigen::VectorXd::Zero(n);
  for (int kk = 0; kk < mz; ++kk)
    for (int j = 0; j < my; ++j)
      for (int i = 0; i < mx; ++i) {
        const int p = node(i, j, kk);
        if (!used[std::size_t(p)]) {
          for (int d = 0; d < 3; ++d) fixed[std::size_t(3 * p + d)] = 1;
          continue;
        }
        if (kk == 0 || kk == g.nz) {
          fixed[std::size_t(3 * p + 2)] = 1;
          up(3 * p + 2) = kk == 0 ? 0.0 : lc.strain * g.nz * kH;
          if (lc.lateral == Lateral::kFixedPlates)
            fixed[std::size_t(3 * p)] = fixed[std::size_t(3 * p + 1)] = 1;
        }
      }
  if (lc.lateral == Lateral::kFree) {
    fixed[std::size_t(3 * node(pi, pj, 0))] = fixed[std::size_t(3 * node(pi, pj, 0) + 1)] = 1;
    fixed[std::size_t(3 * node(pi, pj + 1, 0))] = 1;
  }
  std::vector<int> map(std::size_t(n), -1);
  int nf = 0;
  for (int d = 0; d < n; ++d)
    if (!fixed[std::size_t(d)]) map[std::size_t(d)] = nf++;
  std::vector<Eigen::Triplet<double>> tf;
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(nf);
  for (int c = 0; c < k.outerSize(); ++c)
    for (Eigen::SparseMatrix<double>::InnerIterator it(k, c); it; ++it) {
      const int r = map[std::size_t(it.row())], s = map[std::size_t(it.col())];
      if (r >= 0 && s >= 0) tf.emplace_back(r, s, it.value());
      if (r >= 0 && s < 0) rhs(r) -= it.value() * up(it.col());
    }
  Eigen::SparseMatrix<double> kf(nf, nf);
  kf.setFromTriplets(tf.begin(), tf.end());
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> ldlt(kf);
  EXPECT_EQ(ldlt.info(), Eigen::Success);
  const Eigen::VectorXd xf = ldlt.solve(rhs);
  DirectSolution out;
  out.u = up;
  for (int d = 0; d < n; ++d)
    if (map[std::size_t(d)] >= 0) out.u(d) = xf(map[std::size_t(d)]);
  const Eigen::VectorXd f = k * out.u;
  for (int j = 0; j < my; ++j)
    for (int i = 0; i < mx; ++i) out.reaction += f(3 * node(i, j, g.nz) + 2);
  return out;
}

// Keeps the 26-connected component of bone containing (ci, cj, 0).
void keep_component(Field<float>& m, int ci, int cj) {
  const GridShape& g = m.shape;
  Mask seen(g, 0);
  std::vector<std::array<int, 3>> stack{{ci, cj, 0}};
  seen(ci, cj, 0) = 1;
  while (!stack.empty()) {
    const auto [i, j, k] = stack.back();
    stack.pop_back();
    for (int dk = -1; dk <= 1; ++dk)
      for (int dj = -1; dj <= 1; ++dj)
        for (int di = -1; di <= 1; ++di) {
          const int a = i + di, b = j + dj, c = k + dk;
          if (g.contains(a, b, c) && m(a, b, c) > 0 && !seen(a, b, c)) {
            seen(a, b, c) = 1;
            stack.push_back({a, b, c});
          }
        }
  }
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i)
        if (!seen(i, j, k)) m(i, j, k) = 0;
}

TEST(VoxelFe, MatchesSparseDirectSolve) {
  Field<float> m = random_structure(6, 5, 7, 12345u);
  keep_component(m, 3, 2);
  for (auto pc : {FePreconditioner::kBlockJacobi, FePreconditioner::kMultigrid})
    for (Lateral lat : {Lateral::kFixedPlates, Lateral::kFree}) {
      VoxelFeSolver s(m, kH, tight(0.3, pc));
      const FeMesh& mesh = s.mesh();
      const LoadCase lc{2, -0.01, lat};
      const FeResult r = s.solve(lc);
      ASSERT_TRUE(r.converged);
      // Test's own pins on the column (3, 2): elsewhere than the solver's anchor, so the
      // two solutions may differ by a rigid lateral motion, removed by least squares.
      const DirectSolution ref = direct_solve(m, 0.3, lc, 3, 2);
      const int mx = 7, my = 6;
      Eigen::MatrixXd modes(3 * mesh.node_count, 3);
      Eigen::VectorXd diff(3 * mesh.node_count), refv(3 * mesh.node_count);
      modes.setZero();
      for (int k = 0; k <= 7; ++k)
        for (int j = 0; j <= 5; ++j)
          for (int i = 0; i <= 6; ++i) {
            const std::int32_t p = mesh.node(i, j, k);
            if (p < 0) continue;
            for (int d = 0; d < 3; ++d) {
              refv(3 * p + d) = ref.u(3 * (i + mx * (j + my * k)) + d);
              diff(3 * p + d) = r.displacement_um[std::size_t(3 * p + d)] - refv(3 * p + d);
            }
            modes(3 * p, 0) = 1, modes(3 * p + 1, 1) = 1;             // lateral translations
            modes(3 * p, 2) = -j * kH, modes(3 * p + 1, 2) = i * kH;  // rotation about z
          }
      if (lat == Lateral::kFree) {
        const Eigen::VectorXd c = modes.colPivHouseholderQr().solve(diff);
        diff -= modes * c;
      } else {
        EXPECT_LT(diff.cwiseAbs().maxCoeff(), 1e-9 * refv.cwiseAbs().maxCoeff());
      }
      EXPECT_LT(diff.cwiseAbs().maxCoeff(), 1e-6 * refv.cwiseAbs().maxCoeff()) << int(lat);
      const double stress = ref.reaction / (6 * kH * 5 * kH);
      EXPECT_NEAR(r.apparent_stress_MPa, stress, 1e-6 * std::abs(stress)) << int(lat);
    }
}

TEST(VoxelFe, FloatingBoneCarriesNothing) {
  Field<float> alone = solid(9, 8, 10, 0.f);
  for (int k = 0; k < 10; ++k)
    for (int j = 1; j < 4; ++j)
      for (int i = 1; i < 4; ++i) alone(i, j, k) = float(500 + 50 * ((i + 2 * j + 3 * k) % 7));
  for (int i = 3; i < 6; ++i) alone(i, 2, 5) = 800.f;  // a branch
  Field<float> with = alone;
  for (int k = 3; k < 6; ++k)  // detached block: a gap of one voxel to everything
    for (int j = 5; j < 8; ++j)
      for (int i = 6; i < 9; ++i) with(i, j, k) = 900.f;
  for (int k = 0; k < 4; ++k)  // standing on the bottom plate only
    for (int j = 6; j < 8; ++j)
      for (int i = 0; i < 2; ++i) with(i, j, k) = 700.f;
  for (auto pc : {FePreconditioner::kBlockJacobi, FePreconditioner::kMultigrid})
    for (Lateral lat : {Lateral::kFree, Lateral::kFixedPlates, Lateral::kConfined}) {
      const LoadCase lc{2, -0.01, lat};
      VoxelFeSolver sa(alone, kH, tight(0.3, pc)), sw(with, kH, tight(0.3, pc));
      const FeResult ra = sa.solve(lc), rw = sw.solve(lc);
      ASSERT_TRUE(rw.converged);
      EXPECT_NEAR(rw.apparent_modulus_MPa, ra.apparent_modulus_MPa, 1e-8 * ra.apparent_modulus_MPa);
      for (int k = 0; k < 10; ++k)
        for (int j = 0; j < 8; ++j)
          for (int i = 0; i < 9; ++i) {
            if (alone(i, j, k) > 0) {
              EXPECT_NEAR(rw.sed_MPa(i, j, k), ra.sed_MPa(i, j, k),
                          1e-6 * ra.sed_MPa(i, j, k) + 1e-12);
            } else {
              EXPECT_EQ(rw.sed_MPa(i, j, k), 0.f) << i << " " << j << " " << k;
            }
          }
    }
}

TEST(VoxelFe, WarmStartAndThreadCountInvariance) {
  Field<float> m = random_structure(18, 16, 20, 777u);
  for (auto pc : {FePreconditioner::kBlockJacobi, FePreconditioner::kMultigrid}) {
    FeOptions o;
    o.preconditioner = pc;
    o.tolerance = 1e-8;
    const LoadCase lc{2, -0.01, Lateral::kFree};
    std::vector<FeResult> runs;
    for (int threads : {1, 2, 4}) {
      tbb::global_control gc(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
      VoxelFeSolver s(m, kH, o);
      runs.push_back(s.solve(lc));
      ASSERT_TRUE(runs.back().converged);
    }
    for (std::size_t t = 1; t < runs.size(); ++t) {
      EXPECT_EQ(runs[t].iterations, runs[0].iterations);
      EXPECT_TRUE(runs[t].displacement_um == runs[0].displacement_um) << t;
      EXPECT_EQ(std::memcmp(runs[t].sed_MPa.data.data(), runs[0].sed_MPa.data.data(),
                            runs[0].sed_MPa.data.size() * sizeof(float)),
                0)
          << t;
    }
    VoxelFeSolver s(m, kH, o);
    const FeResult warm = s.solve(lc, &runs[0].displacement_um);
    EXPECT_TRUE(warm.converged);
    EXPECT_LE(warm.iterations, 1);
    EXPECT_GT(runs[0].iterations, 3);
  }
}

}  // namespace
}  // namespace bonesim
