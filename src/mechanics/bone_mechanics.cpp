#include "bonesim/mechanics/bone_mechanics.hpp"

#include <algorithm>
#include <cmath>

#include "bonesim/core/parallel.hpp"
#include "bonesim/fields/signalling.hpp"
#include "bonesim/mechanics/voxel_fe.hpp"

namespace bonesim {

MechanicsState make_mechanics_state(const GridShape& field_grid, std::size_t load_cases) {
  const Field<float> zero(field_grid, 0.f);
  return {zero, zero, std::vector<LoadCaseState>(load_cases, {{zero, zero, zero}})};
}

namespace {

// Element-centre values of a node-grid field, the mean of each element's 8 corners; 0
// where there is no element (marrow).
Field<float> element_centres(const Field<float>& nodes, const Field<float>& modulus) {
  const GridShape& e = modulus.shape;
  Field<float> out(e, 0.f);
  for_each_row(e, [&](int j, int k) {
    float* row = out.row(j, k);
    const float* E = modulus.row(j, k);
    for (int i = 0; i < e.nx; ++i) {
      if (E[i] <= 0) continue;
      float s = 0;
      for (int c = 0; c < 8; ++c) s += nodes(i + (c & 1), j + ((c >> 1) & 1), k + (c >> 2));
      row[i] = s / 8.f;
    }
  });
  return out;
}

// A nodal displacement for `mesh` from element-centre values: each node the mean of the
// values of the elements (modulus > 0) around it.
// `scale` divides the values.
std::vector<double> nodal_guess(const FeMesh& mesh, const std::array<Field<float>, 3>& centre,
                                double scale) {
  const GridShape& e = mesh.elements;
  std::vector<double> u(3 * std::size_t(mesh.node_count), 0.0);
  for (int k = 0; k <= e.nz; ++k)
    for (int j = 0; j <= e.ny; ++j)
      for (int i = 0; i <= e.nx; ++i) {
        const std::int32_t p = mesh.node(i, j, k);
        if (p < 0) continue;
        double sum[3] = {0, 0, 0};
        int n = 0;
        for (int c = 0; c < 8; ++c) {
          const int a = i - 1 + (c & 1), b = j - 1 + ((c >> 1) & 1), d = k - 1 + (c >> 2);
          if (mesh.modulus(a, b, d) <= 0) continue;  // the halo reads 0 outside
          for (int x = 0; x < 3; ++x) sum[x] += centre[std::size_t(x)](a, b, d);
          ++n;
        }
        for (int x = 0; x < 3; ++x) u[3 * std::size_t(p) + std::size_t(x)] = sum[x] / (n * scale);
      }
  return u;
}

}  // namespace

Field<float> element_moduli(const BoneLattice& l, int c, const MechanicsConfig& cfg) {
  const GridShape& g = l.shape;
  const GridShape e = field_shape(g, c);
  Field<float> out(e, 0.f);
  for_each_row(e, [&](int J, int K) {
    float* row = out.row(J, K);
    for (int I = 0; I < e.nx; ++I) {
      double sum = 0;
      int n = 0;
      for (int k = K * c; k < std::min(g.nz, (K + 1) * c); ++k) {
        for (int j = J * c; j < std::min(g.ny, (J + 1) * c); ++j) {
          for (int i = I * c; i < std::min(g.nx, (I + 1) * c); ++i, ++n) {
            const double b = l.bone(i, j, k);
            if (b > 0) sum += cfg.tissue_modulus_MPa * std::pow(b, cfg.modulus_exponent);
          }
        }
      }
      row[I] = float(sum / n);
    }
  });
  return out;
}

double bone_volume_um3(const BoneLattice& l) {
  const GridShape& g = l.shape;
  const double v = l.voxel_size_um * l.voxel_size_um * l.voxel_size_um;
  return v * deterministic_row_sum<double>(g, [&](int j, int k) {
           const float* b = l.bone.row(j, k);
           double s = 0;
           for (int i = 0; i < g.nx; ++i) s += b[i];
           return s;
         });
}

bool mechanics_due(const MechanicsState& m, const MechanicsConfig& cfg, double day,
                   double bone_um3) {
  if (m.solved_day < 0) return true;
  // A millionth of a day of slack: step * dt rounding never delays a solve by a step.
  if (day + 1e-6 >= m.solved_day + cfg.interval_days) return true;
  return std::abs(bone_um3 - m.bone_at_solve_um3) > cfg.bone_change_fraction * m.bone_at_solve_um3;
}

void solve_bone_mechanics(MechanicsState& m, const BoneLattice& l, int c,
                          const MechanicsConfig& cfg, double day, double bone_um3) {
  const Field<float> modulus = element_moduli(l, c, cfg);
  FeOptions opt;
  opt.poisson_ratio = cfg.poisson_ratio;
  opt.tolerance = cfg.solver_tolerance;
  opt.preconditioner = cfg.preconditioner == "block_jacobi" ? FePreconditioner::kBlockJacobi
                                                            : FePreconditioner::kMultigrid;
  VoxelFeSolver solver(modulus, l.voxel_size_um * c, opt);
  const GridShape& e = modulus.shape;
  Field<float> sed(e, 0.f);
  const bool sum = cfg.combine == "weighted_sum";
  m.iterations = 0;
  for (std::size_t n = 0; n < cfg.load_cases.size(); ++n) {
    const LoadCaseConfig& lc = cfg.load_cases[n];
    LoadCaseState& state = m.cases[n];
    const LoadCase load{.axis = lc.axis[0] - 'x',
                        .strain = lc.apparent_strain,
                        .lateral = lc.lateral == "confined"       ? LoadCase::Lateral::kConfined
                                   : lc.lateral == "fixed_plates" ? LoadCase::Lateral::kFixedPlates
                                                                  : LoadCase::Lateral::kFree};
    // Stress control: the apparent strain that carries the stress, found through the
    // apparent modulus; bone without a load path carries nothing.
    auto stress_scale = [&](double modulus_MPa) {
      if (lc.apparent_stress_MPa == 0) return 1.0;
      return modulus_MPa > 0 ? lc.apparent_stress_MPa / (modulus_MPa * load.strain) : 0.0;
    };
    // Warm start from the stored displacement, brought back to the strain solved at.
    std::vector<double> guess;
    const double last_scale = stress_scale(state.apparent_modulus_MPa);
    if (m.solved_day >= 0 && last_scale > 0) {
      guess = nodal_guess(solver.mesh(), state.displacement_um, last_scale);
    }
    const FeResult r = solver.solve(load, guess.empty() ? nullptr : &guess);
    m.iterations += r.iterations;
    const double scale = stress_scale(r.apparent_modulus_MPa);
    state.apparent_modulus_MPa = r.apparent_modulus_MPa;
    for (int d = 0; d < 3; ++d) {
      Field<float> u = element_centres(solver.displacement_field(r.displacement_um, d), modulus);
      for (float& x : u.data) x *= float(scale);
      state.displacement_um[std::size_t(d)] = std::move(u);
    }
    for (Index v = 0; v < Index(sed.data.size()); ++v) {
      const float s = r.sed_MPa.data[std::size_t(v)] * float(scale * scale);
      float& out = sed.data[std::size_t(v)];
      out = sum ? out + float(lc.weight) * s : std::max(out, s);
    }
  }
  m.sed_MPa = std::move(sed);
  m.strain = Field<float>(e, 0.f);
  for (std::size_t v = 0; v < m.strain.data.size(); ++v) {
    const float E = modulus.data[v];
    m.strain.data[v] = E > 0 ? std::sqrt(2.f * m.sed_MPa.data[v] / E) : 0.f;
  }
  m.solved_day = day;
  m.bone_at_solve_um3 = bone_um3;
}

double load_factor(const std::vector<InterventionConfig>& interventions, double day) {
  double f = 1.0;
  for (const InterventionConfig& i : interventions) {
    if (i.type == "load" && day >= i.start_day && day < i.end_day) f *= i.load_factor;
  }
  return f;
}

}  // namespace bonesim
