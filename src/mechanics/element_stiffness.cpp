// Trilinear hexahedron stiffness: Hughes, The Finite Element Method (2000), sections 3.5
// (isoparametric B matrix) and 3.8 (Gauss quadrature).
#include "bonesim/mechanics/element_stiffness.hpp"

#include <stdexcept>

namespace bonesim {
namespace {

// Isotropic C in Voigt order with engineering shears: lambda, mu from E, nu
// (Hughes 2000, eq. 2.7.33).
std::array<double, 36> isotropic_c(double e, double nu) {
  const double lambda = e * nu / ((1 + nu) * (1 - 2 * nu)), mu = e / (2 * (1 + nu));
  std::array<double, 36> c{};
  for (int r = 0; r < 3; ++r) {
    for (int s = 0; s < 3; ++s) c[6 * r + s] = lambda + (r == s ? 2 * mu : 0);
    c[6 * (r + 3) + r + 3] = mu;
  }
  return c;
}

}  // namespace

StrainMatrix hex8_strain_matrix(double x, double y, double z, double h) {
  StrainMatrix bm{};
  const double p[3] = {x, y, z};
  for (int n = 0; n < 8; ++n) {
    // N_n = prod_d (corner_d ? p_d : 1 - p_d); dN/dX_d = dN/dp_d / h.
    double f[3], df[3];
    for (int d = 0; d < 3; ++d) {
      const bool hi = (n >> d) & 1;
      f[d] = hi ? p[d] : 1 - p[d];
      df[d] = (hi ? 1.0 : -1.0) / h;
    }
    const double gx = df[0] * f[1] * f[2], gy = f[0] * df[1] * f[2], gz = f[0] * f[1] * df[2];
    double* b = bm.data() + 3 * n;
    b[0 * 24 + 0] = gx;
    b[1 * 24 + 1] = gy;
    b[2 * 24 + 2] = gz;
    b[3 * 24 + 1] = gz;  // gamma_yz = du_y/dz + du_z/dy
    b[3 * 24 + 2] = gy;
    b[4 * 24 + 0] = gz;  // gamma_xz
    b[4 * 24 + 2] = gx;
    b[5 * 24 + 0] = gy;  // gamma_xy
    b[5 * 24 + 1] = gx;
  }
  return bm;
}

ElementMatrix hex8_stiffness(double poisson_ratio) {
  if (!(poisson_ratio > -1 && poisson_ratio < 0.5)) {
    throw std::invalid_argument("poisson_ratio: must lie in (-1, 0.5)");
  }
  const std::array<double, 36> c = isotropic_c(1.0, poisson_ratio);
  const double g[2] = {kGaussLo, kGaussHi};
  ElementMatrix k{};
  for (int q = 0; q < 8; ++q) {
    const StrainMatrix b = hex8_strain_matrix(g[q & 1], g[(q >> 1) & 1], g[q >> 2], 1.0);
    double cb[6 * 24];  // C B
    for (int r = 0; r < 6; ++r) {
      for (int j = 0; j < 24; ++j) {
        double s = 0;
        for (int t = 0; t < 6; ++t) s += c[6 * r + t] * b[24 * t + j];
        cb[24 * r + j] = s;
      }
    }
    // Weight 1/8 each: eight Gauss points share the unit volume.
    for (int i = 0; i < 24; ++i) {
      for (int j = 0; j < 24; ++j) {
        double s = 0;
        for (int t = 0; t < 6; ++t) s += b[24 * t + i] * cb[24 * t + j];
        k[24 * i + j] += s / 8;
      }
    }
  }
  return k;
}

double strain_energy_density(const Strain& e, double youngs_modulus, double poisson_ratio) {
  const double nu = poisson_ratio, m = youngs_modulus;
  const double lambda = m * nu / ((1 + nu) * (1 - 2 * nu)), mu = m / (2 * (1 + nu));
  const double tr = e[0] + e[1] + e[2];
  // W = lambda/2 tr(eps)^2 + mu eps:eps, shears halved back from engineering values.
  return 0.5 * lambda * tr * tr + mu * (e[0] * e[0] + e[1] * e[1] + e[2] * e[2] +
                                        0.5 * (e[3] * e[3] + e[4] * e[4] + e[5] * e[5]));
}

}  // namespace bonesim
