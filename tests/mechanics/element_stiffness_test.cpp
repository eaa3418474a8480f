// The reference hexahedron: symmetry, rigid-body null space, positivity.
#include "bonesim/mechanics/element_stiffness.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace bonesim {
namespace {

Eigen::MatrixXd as_matrix(const ElementMatrix& k) {
  Eigen::MatrixXd m(24, 24);
  for (int i = 0; i < 24; ++i)
    for (int j = 0; j < 24; ++j) m(i, j) = k[std::size_t(24 * i + j)];
  return m;
}

// Rigid motions of the unit cube: 3 translations, 3 small rotations.
Eigen::MatrixXd rigid_modes() {
  Eigen::MatrixXd r = Eigen::MatrixXd::Zero(24, 6);
  for (int n = 0; n < 8; ++n) {
    const double x = n & 1, y = (n >> 1) & 1, z = n >> 2;
    for (int d = 0; d < 3; ++d) r(3 * n + d, d) = 1;
    r(3 * n + 1, 3) = -z, r(3 * n + 2, 3) = y;  // about x
    r(3 * n + 0, 4) = z, r(3 * n + 2, 4) = -x;  // about y
    r(3 * n + 0, 5) = -y, r(3 * n + 1, 5) = x;  // about z
  }
  return r;
}

TEST(ElementStiffness, SymmetricWithSixRigidModesAndPositiveOtherwise) {
  for (double nu : {0.0, 0.3, 0.45}) {
    const Eigen::MatrixXd k = as_matrix(hex8_stiffness(nu));
    EXPECT_LT((k - k.transpose()).cwiseAbs().maxCoeff(), 1e-14) << nu;
    const Eigen::VectorXd ev = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(k).eigenvalues();
    const double top = ev.maxCoeff();
    for (int i = 0; i < 6; ++i) EXPECT_LT(std::abs(ev(i)), 1e-12 * top) << nu;
    for (int i = 6; i < 24; ++i) EXPECT_GT(ev(i), 1e-3 * top) << nu;
    EXPECT_LT((k * rigid_modes()).cwiseAbs().maxCoeff(), 1e-13 * top) << nu;
  }
}

TEST(ElementStiffness, UniformStrainGivesExactEnergy) {
  // u = eps z e_z (uniaxial strain) stores 1/2 (lambda + 2 mu) eps^2 per unit volume.
  const double nu = 0.3, eps = 0.01;
  const Eigen::MatrixXd k = as_matrix(hex8_stiffness(nu));
  Eigen::VectorXd u = Eigen::VectorXd::Zero(24);
  for (int n = 0; n < 8; ++n) u(3 * n + 2) = eps * (n >> 2);
  const double m = (1 - nu) / ((1 + nu) * (1 - 2 * nu));
  EXPECT_NEAR(0.5 * u.dot(k * u), 0.5 * m * eps * eps, 1e-15);
  const StrainMatrix b = hex8_strain_matrix(0.3, 0.6, 0.2, 1.0);
  Strain s{};
  for (int r = 0; r < 6; ++r)
    for (int t = 0; t < 24; ++t) s[std::size_t(r)] += b[std::size_t(24 * r + t)] * u(t);
  EXPECT_NEAR(s[2], eps, 1e-15);
  EXPECT_NEAR(strain_energy_density(s, 1.0, nu), 0.5 * m * eps * eps, 1e-15);
}

TEST(ElementStiffness, RejectsBadPoissonRatio) {
  EXPECT_THROW(hex8_stiffness(0.5), std::invalid_argument);
}

}  // namespace
}  // namespace bonesim
