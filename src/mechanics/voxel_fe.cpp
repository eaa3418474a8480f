#include "bonesim/mechanics/voxel_fe.hpp"

#include <cmath>
#include <memory>
#include <stdexcept>

#include "bonesim/core/parallel.hpp"

namespace bonesim {
namespace {

constexpr Index kGrain = 1024;  // nodes per reduction block

struct Sums2 {
  double a = 0, b = 0;
  Sums2& operator+=(const Sums2& o) {
    a += o.a;
    b += o.b;
    return *this;
  }
};

// The free-dof residual norm of u: with prescribed values held inside u, the right-hand
// side is implicit and r = -(K u) on the free dofs.
double masked_norm(const DofMask& fixed, const std::vector<double>& y) {
  return std::sqrt(deterministic_sum<double>(
      0, Index(fixed.size()),
      [&](Index p) {
        double s = 0;
        for (int d = 0; d < 3; ++d)
          if (!((fixed[std::size_t(p)] >> d) & 1))
            s += y[std::size_t(3 * p + d)] * y[std::size_t(3 * p + d)];
        return s;
      },
      kGrain));
}

}  // namespace

VoxelFeSolver::VoxelFeSolver(const Field<float>& modulus_MPa, double voxel_size_um,
                             const FeOptions& opt)
    : opt_(opt),
      ke_(hex8_stiffness(opt.poisson_ratio)),
      mesh_(make_fe_mesh(modulus_MPa, voxel_size_um)),
      comps_(find_components(mesh_)),
      elements_(mesh_.element_count()) {
  if (!(opt.tolerance > 0)) throw std::invalid_argument("tolerance: must be positive");
}

FeResult VoxelFeSolver::solve(const LoadCase& load, const std::vector<double>* warm_start) {
  const Index n = mesh_.node_count, ndof = 3 * n;
  FeResult res;
  std::vector<double>& x = res.displacement_um;
  if (warm_start) {
    if (Index(warm_start->size()) != ndof) {
      throw std::invalid_argument("warm_start: size differs from 3 x mesh nodes");
    }
    x = *warm_start;
  } else {
    x.assign(std::size_t(ndof), 0.0);
  }
  const DofMask fixed = prescribe(mesh_, comps_, load, x);
  // Work vectors of preconditioned conjugate gradients (Saad, Iterative Methods for Sparse
  // Linear Systems, 2003, Algorithm 9.1): x, r, p and q = K p. The preconditioned
  // residual z shares q's storage: z is written after q's last use (r -= alpha q) and
  // read for the last time (p = z + beta p) before the next q = K p.
  const std::size_t nd = static_cast<std::size_t>(ndof);
  std::vector<double> r(nd), p(nd), q(nd);
  double* z = q.data();

  // ||f||: the free-dof residual of the prescribed values alone.
  double matvecs = 0;
  double norm_f = 0;
  if (warm_start) {
    for (std::size_t i = 0; i < nd; ++i) p[i] = (fixed[i / 3] >> (i % 3)) & 1 ? x[i] : 0.0;
    apply_stiffness(mesh_, ke_, nullptr, p.data(), q.data());
    matvecs += 1;
    norm_f = masked_norm(fixed, q);
  }
  apply_stiffness(mesh_, ke_, &fixed, x.data(), r.data());
  matvecs += 1;
  parallel_for(
      0, ndof, [&](Index i) { r[std::size_t(i)] = -r[std::size_t(i)]; }, 4096);
  const double norm_r0 = std::sqrt(dot(ndof, r.data(), r.data()));
  if (!warm_start) norm_f = norm_r0;

  // Every vector is zero on fixed dofs.
  std::unique_ptr<FeMultigrid> mg;
  double precond_cost = 0;
  if (opt_.preconditioner == FePreconditioner::kMultigrid) {
    mg = std::make_unique<FeMultigrid>(mesh_, fixed, comps_.bearing, load.axis, ke_);
    precond_cost = mg->cost();
  }
  // Solver memory: the mesh and components (bytes()), CG vectors incl. the solution,
  // the fixed mask and the multigrid hierarchy with its scratch.
  solve_bytes_ = 4 * nd * sizeof(double) + fixed.size() + (mg ? mg->bytes() : 0);
  const auto precondition = [&]() {
    matvecs += precond_cost;
    return mg ? mg->apply(r.data(), z) : apply_node_blocks(mesh_, ke_, fixed, r.data(), z);
  };
  const double goal = opt_.tolerance * norm_f;
  double rnorm = norm_r0;
  int it = 0;
  if (norm_f > 0 && rnorm > goal) {
    double rz = precondition();
    p = q;
    while (it < opt_.max_iterations) {
      const double pq = apply_stiffness(mesh_, ke_, &fixed, p.data(), q.data());
      matvecs += 1;
      ++it;
      const double alpha = rz / pq;
      const double rr = deterministic_sum<double>(
          0, ndof,
          [&](Index i) {
            x[std::size_t(i)] += alpha * p[std::size_t(i)];
            r[std::size_t(i)] -= alpha * q[std::size_t(i)];
            return r[std::size_t(i)] * r[std::size_t(i)];
          },
          3 * kGrain);
      rnorm = std::sqrt(rr);
      if (rnorm <= goal) break;
      const double rz_new = precondition();
      const double beta = rz_new / rz;
      rz = rz_new;
      parallel_for(
          0, ndof, [&](Index i) { p[std::size_t(i)] = z[i] + beta * p[std::size_t(i)]; }, 4096);
    }
  }
  res.iterations = it;
  mg.reset();
  res.converged = norm_f == 0 || rnorm <= goal;

  // Reactions and energy from the unmasked K u.
  const double uku = apply_stiffness(mesh_, ke_, nullptr, x.data(), q.data());
  matvecs += 1;
  res.matvec_equivalents = matvecs;
  res.relative_residual = norm_f > 0 ? masked_norm(fixed, q) / norm_f : 0.0;
  res.strain_energy_MPa_um3 = 0.5 * uku;
  const GridShape& g = mesh_.elements;
  const int nn[3] = {g.nx, g.ny, g.nz};
  const int ax = load.axis, l1 = (ax + 1) % 3, l2 = (ax + 2) % 3;
  double force = 0;  // serial over the plate: a fixed summation order
  for (int b = 0; b <= nn[l2]; ++b)
    for (int a = 0; a <= nn[l1]; ++a) {
      int c[3];
      c[ax] = nn[ax];
      c[l1] = a;
      c[l2] = b;
      const std::int32_t node = mesh_.node(c[0], c[1], c[2]);
      if (node >= 0) force += q[3 * std::size_t(node) + std::size_t(ax)];
    }
  const double area = nn[l1] * mesh_.h_um * nn[l2] * mesh_.h_um;
  res.apparent_stress_MPa = force / area;
  res.apparent_modulus_MPa = load.strain != 0 ? res.apparent_stress_MPa / load.strain : 0.0;

  res.sed_MPa = sed(x, opt_.sed_point);
  res.effective_strain = Field<float>(g, 0.f);
  for_each_voxel(g, [&](int i, int j, int k) {
    const double e = mesh_.modulus(i, j, k);
    if (e > 0) res.effective_strain(i, j, k) = float(std::sqrt(2.0 * res.sed_MPa(i, j, k) / e));
  });
  return res;
}

Field<float> VoxelFeSolver::sed(const std::vector<double>& u, SedPoint at) const {
  if (Index(u.size()) != 3 * Index(mesh_.node_count)) {
    throw std::invalid_argument("displacement: size differs from 3 x mesh nodes");
  }
  const double h = mesh_.h_um, nu = opt_.poisson_ratio;
  std::vector<StrainMatrix> bs;
  if (at == SedPoint::kElementCentre) {
    bs.push_back(hex8_strain_matrix(0.5, 0.5, 0.5, h));
  } else {
    const double gp[2] = {kGaussLo, kGaussHi};
    for (int q = 0; q < 8; ++q)
      bs.push_back(hex8_strain_matrix(gp[q & 1], gp[(q >> 1) & 1], gp[q >> 2], h));
  }
  const GridShape& g = mesh_.elements;
  Field<float> out(g, 0.f);
  for_each_voxel(g, [&](int i, int j, int k) {
    const double e = mesh_.modulus(i, j, k);
    if (e == 0) return;
    double ue[24];
    for (int m = 0; m < 8; ++m) {
      const std::int32_t p = mesh_.node(i + (m & 1), j + ((m >> 1) & 1), k + (m >> 2));
      for (int d = 0; d < 3; ++d) ue[3 * m + d] = u[3 * std::size_t(p) + std::size_t(d)];
    }
    double w = 0;
    for (const StrainMatrix& b : bs) {
      Strain s{};
      for (int r = 0; r < 6; ++r)
        for (int t = 0; t < 24; ++t) s[std::size_t(r)] += b[std::size_t(24 * r + t)] * ue[t];
      w += strain_energy_density(s, e, nu);
    }
    out(i, j, k) = float(w / double(bs.size()));
  });
  return out;
}

Field<float> VoxelFeSolver::displacement_field(const std::vector<double>& u, int d) const {
  const GridShape& g = mesh_.elements;
  const GridShape nodes = GridShape::make(g.nx + 1, g.ny + 1, g.nz + 1);
  Field<float> out(nodes, 0.f);
  for_each_voxel(nodes, [&](int i, int j, int k) {
    const std::int32_t p = mesh_.node(i, j, k);
    if (p >= 0) out(i, j, k) = float(u[3 * std::size_t(p) + std::size_t(d)]);
  });
  return out;
}

std::size_t VoxelFeSolver::bytes() const {
  return mesh_.bytes() + comps_.bearing.data.size() + comps_.list.size() * sizeof(FeComponent) +
         solve_bytes_ + sizeof(ElementMatrix);
}

}  // namespace bonesim
