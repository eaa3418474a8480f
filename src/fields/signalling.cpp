#include "bonesim/fields/signalling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "bonesim/core/parallel.hpp"

namespace bonesim {

namespace {

constexpr double kSecondsPerDay = 86400.0;

Boundary to_boundary(const std::string& face, const std::string& all) {
  const std::string& s = face == "inherit" ? all : face;
  if (s == "fixed") return Boundary::kFixed;
  if (s == "periodic") return Boundary::kPeriodic;
  return Boundary::kNoFlux;  // the key's choices admit nothing else
}

std::array<const std::string*, 6> faces(const FieldBoundaryConfig& b) {
  return {&b.x_min, &b.x_max, &b.y_min, &b.y_max, &b.z_min, &b.z_max};
}

double at(const Field<float>* f, Index n) {
  return f ? double(f->data[n]) : 0.0;
}

}  // namespace

double SignallingStats::sweep_equivalents() const {
  return rankl.sweep_equivalents + opg.sweep_equivalents + rankl_opg.sweep_equivalents +
         drug.sweep_equivalents + rankl_drug.sweep_equivalents + coupling.sweep_equivalents;
}

GridShape field_shape(const GridShape& lattice, int c) {
  return GridShape::make((lattice.nx + c - 1) / c, (lattice.ny + c - 1) / c,
                         (lattice.nz + c - 1) / c);
}

Mask coarsen_bone(const Mask& lattice_bone, int c) {
  const GridShape& f = lattice_bone.shape;
  if (c == 1) return lattice_bone;
  const GridShape g = field_shape(f, c);
  Mask out(g, 0);
  for_each_row(g, [&](int J, int K) {
    for (int I = 0; I < g.nx; ++I) {
      int bone = 0, all = 0;
      for (int k = K * c; k < std::min(f.nz, K * c + c); ++k)
        for (int j = J * c; j < std::min(f.ny, J * c + c); ++j)
          for (int i = I * c; i < std::min(f.nx, I * c + c); ++i) {
            bone += lattice_bone(i, j, k);
            ++all;
          }
      out(I, J, K) = bone == all ? 1 : 0;
    }
  });
  return out;
}

SignallingFields make_signalling_fields(const GridShape& g, const FieldsConfig& cfg) {
  SignallingFields f{Field<float>(g), Field<float>(g), Field<float>(g), Field<float>(g),
                     Field<float>(g), Field<float>(g), Field<float>(g), cfg.pth_pM};
  return f;
}

DiffusionParams diffusion_params(const SpeciesConfig& species, const FieldsConfig& cfg) {
  DiffusionParams p;
  p.diffusivity_um2_per_day = species.diffusivity_um2_per_s * kSecondsPerDay;
  p.bone_diffusivity_um2_per_day = cfg.bone_diffusivity_um2_per_s * kSecondsPerDay;
  p.decay_per_day = species.decay_per_day;
  const auto f = faces(species.boundary);
  for (std::size_t n = 0; n < 6; ++n) {
    p.boundary.type[n] = to_boundary(*f[n], species.boundary.all);
    p.boundary.value[n] = species.boundary.fixed_value_pM;
  }
  return p;
}

BindingConstants binding_constants(const FieldsConfig& cfg) {
  return {cfg.k_a_rankl_opg_per_pM, cfg.k_a_rankl_rank_per_pM, cfg.k_a_rankl_drug_per_pM};
}

SignallingSolvers make_signalling_solvers(const Mask& bone, double voxel_size_um,
                                          const FieldsConfig& cfg) {
  SignallingSolvers s;
  const SpeciesConfig* species[SignallingSolvers::kCount] = {
      &cfg.rankl, &cfg.opg, &cfg.rankl_opg, &cfg.drug, &cfg.rankl_drug, &cfg.coupling};
  for (std::size_t n = 0; n < SignallingSolvers::kCount; ++n) {
    DiffusionParams p = diffusion_params(*species[n], cfg);
    // Complexes decay in the reaction step (b), so their solves only diffuse; the free
    // species take their decay and sources in (a) as well (signalling.hpp).
    if (n == SignallingSolvers::kRanklOpg || n == SignallingSolvers::kRanklDrug) {
      p.decay_per_day = 0;
    }
    s.params[n] = p;
    std::size_t m = 0;
    while (m < s.solvers.size() && !DiffusionSolver::same_structure(s.solvers[m].params(), p)) ++m;
    if (m == s.solvers.size()) s.solvers.emplace_back(bone, voxel_size_um, p);
    s.solver_of[n] = m;
  }
  return s;
}

void set_bone(SignallingSolvers& s, const Mask& bone) {
  for (DiffusionSolver& d : s.solvers) d.set_bone(bone);
}

std::size_t scratch_bytes(const SignallingSolvers& s) {
  std::size_t n = 0;
  for (const DiffusionSolver& d : s.solvers) n += d.scratch_bytes();
  return n;
}

namespace {

// Step (b). `transported`: the free species already took their sources and their own
// decay in (a), so a_X X stands for "X_T + dt s_X" (signalling.hpp); else the sources are
// added here (react_signalling, the well-mixed step).
void react(SignallingFields& f, const FieldsConfig& cfg, const Mask& bone,
           const SignallingSources& src, double dt_days, const Field<float>* rank,
           bool transported) {
  const double k_o = cfg.k_a_rankl_opg_per_pM, k_r = cfg.k_a_rankl_rank_per_pM,
               k_d = cfg.k_a_rankl_drug_per_pM;
  const double a_l = 1 + cfg.rankl.decay_per_day * dt_days;
  const double a_o = 1 + cfg.opg.decay_per_day * dt_days;
  const double a_lo = 1 + cfg.rankl_opg.decay_per_day * dt_days;
  const double a_d = 1 + cfg.drug.decay_per_day * dt_days;
  const double a_ld = 1 + cfg.rankl_drug.decay_per_day * dt_days;
  const double a_lr = 1 + cfg.rankl_rank_decay_per_day * dt_days;
  // The rescaled problem (signalling.hpp): a complex's decay slows the loss of its
  // partner's free form, which shows up as a larger effective association constant.
  const BindingConstants kc{a_lo * k_o / a_o, k_r, a_ld * k_d / a_d};
  // Held free drugs (denosumab D, OPG-Fc F) make their complexes with RANKL linear in L,
  // L (K_D D + K_O F): with s = 1 + a_ld (K_D D + K_O F) / a_l and L' = s L the RANKL
  // balance is solve_binding's equation without drug and with the other constants
  // divided by s. Held drugs are the only source of the drug field.
  const bool held = src.drug_held_pM >= 0 || src.opg_fc_held_pM >= 0;
  const double d_held = std::max(src.drug_held_pM, 0.0), f_held = std::max(src.opg_fc_held_pM, 0.0);
  const double blocking = k_d * d_held + k_o * f_held;  // (1/day): complexes per free RANKL
  const double s_held = 1 + a_ld * blocking / a_l;
  const BindingConstants kc_held{kc.k_opg_per_pM / s_held, kc.k_rank_per_pM / s_held, 0.0};
  const GridShape& g = f.rankl.shape;
  for_each_row(g, [&](int j, int k) {
    const Index row = g.index(0, j, k);
    const std::uint8_t* b = bone.row(j, k);
    for (int i = 0; i < g.nx; ++i) {
      const Index n = row + i;
      float& l = f.rankl.data[n];
      float& o = f.opg.data[n];
      float& lo = f.rankl_opg.data[n];
      float& d = f.drug.data[n];
      float& ld = f.rankl_drug.data[n];
      float& lr = f.rankl_rank.data[n];
      // Right-hand sides in double: the voxel is solved to ~1e-15, the floats round once.
      const double rhs_l =
          (transported ? a_l * double(l) : double(l) + dt_days * at(src.rankl, n)) + double(lo) +
          double(ld) + double(lr);
      const double rhs_o =
          (transported ? a_o * double(o) : double(o) + dt_days * at(src.opg, n)) + double(lo);
      const double rhs_d =
          (transported ? a_d * double(d) : double(d) + dt_days * at(src.drug, n)) + double(ld);
      const double r_t = rank ? double(rank->data[n]) : (b[i] ? 0.0 : cfg.rank_pM);
      double free_l, free_d, complex_d;
      if (held) {
        free_l =
            solve_binding(kc_held, {rhs_l / a_l, rhs_o / a_l, a_lr * r_t / a_l, 0.0}).rankl_pM /
            s_held;
        free_d = d_held;
        complex_d = blocking * free_l;
      } else {
        free_l =
            solve_binding(kc, {rhs_l / a_l, rhs_o / a_l, a_lr * r_t / a_l, rhs_d / a_l}).rankl_pM;
        free_d = std::max(rhs_d, 0.0) / (a_d + a_ld * k_d * free_l);
        complex_d = k_d * free_l * free_d;
      }
      const double free_o = std::max(rhs_o, 0.0) / (a_o + a_lo * k_o * free_l);
      l = float(free_l);
      o = float(free_o);
      lo = float(k_o * free_l * free_o);
      d = float(free_d);
      ld = float(complex_d);
      lr = float(std::max(r_t, 0.0) * rank_occupancy(k_r, free_l));
    }
  });
}

}  // namespace

void react_signalling(SignallingFields& f, const FieldsConfig& cfg, const Mask& bone,
                      const SignallingSources& src, double dt_days, const Field<float>* rank) {
  react(f, cfg, bone, src, dt_days, rank, false);
}

SignallingStats advance_signalling(SignallingFields& f, const FieldsConfig& cfg, const Mask& bone,
                                   const SignallingSources& src, double dt_days,
                                   SignallingSolvers& sol, const Field<float>* rank) {
  const double tol = cfg.solver_tolerance;
  SignallingStats st;
  // (a) transport (docs/MODEL.md, "One step"); RANK-bound RANKL stays on its cells.
  using S = SignallingSolvers;
  auto transport = [&](S::Species n, Field<float>& c, const Field<float>* source) {
    DiffusionSolver& d = sol.solvers[sol.solver_of[n]];
    d.set_params(sol.params[n]);
    return d.step(c, source, dt_days, tol);
  };
  st.rankl = transport(S::kRankl, f.rankl, src.rankl);
  st.opg = transport(S::kOpg, f.opg, src.opg);
  st.rankl_opg = transport(S::kRanklOpg, f.rankl_opg, nullptr);
  st.drug = transport(S::kDrug, f.drug, src.drug);
  st.rankl_drug = transport(S::kRanklDrug, f.rankl_drug, nullptr);
  st.coupling = transport(S::kCoupling, f.coupling, src.coupling);
  // (b) sources, decay and binding, voxel by voxel.
  react(f, cfg, bone, src, dt_days, rank, true);
  return st;
}

FieldMetrics field_metrics(const SignallingFields& f, const FieldsConfig& cfg, const Mask& bone) {
  struct Sums {
    double n = 0, l = 0, o = 0, lo = 0, d = 0, c = 0, occ = 0;
    Sums& operator+=(const Sums& s) {
      n += s.n, l += s.l, o += s.o, lo += s.lo, d += s.d, c += s.c, occ += s.occ;
      return *this;
    }
    Sums operator+(const Sums& s) const { return Sums(*this) += s; }
  };
  const GridShape& g = f.rankl.shape;
  const double k_r = cfg.k_a_rankl_rank_per_pM;
  const Sums s = deterministic_row_sum<Sums>(g, [&](int j, int k) {
    Sums acc;
    const std::uint8_t* b = bone.row(j, k);
    const Index row = g.index(0, j, k);
    for (int i = 0; i < g.nx; ++i) {
      if (b[i]) continue;
      const Index n = row + i;
      acc.n += 1;
      acc.l += f.rankl.data[n];
      acc.o += f.opg.data[n];
      acc.lo += f.rankl_opg.data[n];
      acc.d += f.drug.data[n];
      acc.c += f.coupling.data[n];
      acc.occ += rank_occupancy(k_r, double(f.rankl.data[n]));
    }
    return acc;
  });
  const double inv = s.n > 0 ? 1.0 / s.n : std::nan("");
  return {s.l * inv, s.o * inv, s.lo * inv, s.d * inv, s.c * inv, s.occ * inv};
}

std::vector<ConfigIssue> fields_config_problems(const FieldsConfig& cfg,
                                                const std::array<int, 3>& grid_voxels) {
  std::vector<ConfigIssue> out;
  const std::pair<const char*, const SpeciesConfig*> species[] = {
      {"rankl", &cfg.rankl},           {"opg", &cfg.opg},
      {"rankl_opg", &cfg.rankl_opg},   {"drug", &cfg.drug},
      {"rankl_drug", &cfg.rankl_drug}, {"coupling", &cfg.coupling}};
  static constexpr const char* kFace[6] = {"x_min", "x_max", "y_min", "y_max", "z_min", "z_max"};
  const int c = std::max(1, cfg.grid_coarsening);
  for (const auto& [name, s] : species) {
    const DiffusionParams p = diffusion_params(*s, cfg);
    for (std::size_t axis = 0; axis < 3; ++axis) {
      const bool lo = p.boundary.type[2 * axis] == Boundary::kPeriodic;
      const bool hi = p.boundary.type[2 * axis + 1] == Boundary::kPeriodic;
      if (lo != hi) {
        out.push_back({fmt::format("fields.{}.boundary.{}", name, kFace[2 * axis + (lo ? 1 : 0)]),
                       fmt::format("{} is periodic, so this face must be periodic too",
                                   kFace[2 * axis + (lo ? 0 : 1)])});
      } else if (const int n = (grid_voxels[axis] + c - 1) / c; lo && n > 1 && n % 2 != 0) {
        // Red-black ordering across the wrap needs an even extent (multigrid.hpp); a
        // periodic field grid must also tile the lattice exactly.
        out.push_back({fmt::format("fields.{}.boundary.{}", name, kFace[2 * axis]),
                       fmt::format("periodic along {} needs an even number of field voxels, "
                                   "the lattice has {} ({} with grid_coarsening {})",
                                   "xyz"[axis], grid_voxels[axis], n, c)});
      } else if (lo && grid_voxels[axis] % c != 0) {
        out.push_back({fmt::format("fields.{}.boundary.{}", name, kFace[2 * axis]),
                       fmt::format("periodic along {} needs a lattice size divisible by "
                                   "grid_coarsening {}, the lattice has {}",
                                   "xyz"[axis], c, grid_voxels[axis])});
      }
    }
  }
  return out;
}

}  // namespace bonesim
