// The 8-node trilinear hexahedron (cubic voxel) of linear isotropic elasticity.
//
// Local node n = a + 2 b + 4 c sits at corner (a, b, c) of the voxel, a, b, c in {0, 1};
// its dofs are 3 n + d, d = x, y, z. Strains use Voigt order (xx, yy, zz, yz, xz, xy)
// with engineering shears (gamma = 2 eps), so the energy density is 1/2 e^T C e.
#pragma once

#include <array>

namespace bonesim {

using ElementMatrix = std::array<double, 24 * 24>;  // row-major
using StrainMatrix = std::array<double, 6 * 24>;    // row-major B: strain = B u_e
using Strain = std::array<double, 6>;

// Stiffness of the unit cube for E = 1 and the given Poisson ratio, by 2x2x2 Gauss
// quadrature (exact: the integrand is at most quadratic in each coordinate).
// Element stiffness scales as E h for a cube of edge h: B ~ 1/h, volume ~ h^3.
ElementMatrix hex8_stiffness(double poisson_ratio);

// B of the cube of edge h at local coordinates (x, y, z) in [0, 1]^3.
StrainMatrix hex8_strain_matrix(double x, double y, double z, double h);

// Strain energy density 1/2 e^T C e for an isotropic material (units of E).
double strain_energy_density(const Strain& e, double youngs_modulus, double poisson_ratio);

// Local coordinates of the 2x2x2 Gauss points along one axis: 1/2 -+ 1/(2 sqrt 3).
inline constexpr double kGaussLo = 0.21132486540518711775;
inline constexpr double kGaussHi = 0.78867513459481288225;

}  // namespace bonesim
