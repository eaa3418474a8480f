// The signalling fields over one step (docs/MODEL.md, "Signalling fields"): the reaction
// step on its own, the config, and the whole step through the implicit solver.
#include "bonesim/fields/signalling.hpp"

#include "bonesim/core/parallel.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <type_traits>

namespace bonesim {
namespace {

double rel(double a, double b) {
  const double scale = std::max(std::abs(a), std::abs(b));
  return scale == 0 ? 0.0 : std::abs(a - b) / scale;
}

SignallingFields random_fields(const GridShape& g, std::uint64_t seed) {
  SignallingFields f = make_signalling_fields(g, FieldsConfig{});
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> decade(-2, 4);
  for (Field<float>* c :
       {&f.rankl, &f.opg, &f.rankl_opg, &f.drug, &f.rankl_drug, &f.rankl_rank, &f.coupling}) {
    for (float& v : c->data) v = std::pow(10.0f, decade(rng));
  }
  return f;
}

Mask some_bone(const GridShape& g) {
  Mask bone(g, 0);
  for_each_voxel(g, [&](int i, int j, int k) { bone(i, j, k) = (i + 2 * j + 3 * k) % 5 == 0; });
  return bone;
}

struct Totals {
  double l, o, d;
};
Totals totals(const SignallingFields& f, Index n) {
  return {
      double(f.rankl.data[n]) + f.rankl_opg.data[n] + f.rankl_drug.data[n] + f.rankl_rank.data[n],
      double(f.opg.data[n]) + f.rankl_opg.data[n], double(f.drug.data[n]) + f.rankl_drug.data[n]};
}

TEST(Signalling, ReequilibrationConservesTotalsAndObeysMassAction) {
  const GridShape g = GridShape::make(7, 5, 4);
  const FieldsConfig cfg;
  SignallingFields f = random_fields(g, 1);
  const SignallingFields before = f;
  react_signalling(f, cfg, some_bone(g), {}, 0.0);
  double worst = 0;
  for_each_voxel(g, [&](int i, int j, int k) {
    const Index n = g.index(i, j, k);
    const Totals a = totals(before, n), b = totals(f, n);
    worst = std::max({worst, rel(a.l, b.l), rel(a.o, b.o), rel(a.d, b.d)});
    EXPECT_LT(rel(f.rankl_opg.data[n],
                  cfg.k_a_rankl_opg_per_pM * double(f.rankl.data[n]) * f.opg.data[n]),
              1e-6);
  });
  EXPECT_LT(worst, 1e-6);  // float storage
  std::printf("re-equilibration: totals conserved to %.2e (float fields)\n", worst);
}

TEST(Signalling, ReactionStepBalancesSourcesAndDecay) {
  const GridShape g = GridShape::make(6, 3, 2);
  const FieldsConfig cfg;
  SignallingFields f = random_fields(g, 2);
  const SignallingFields before = f;
  const Field<float> s_l(g, 168.0f), s_o(g, 70.0f), s_d(g, 5.0f);
  const double dt = 0.25;
  react_signalling(f, cfg, Mask(g, 0), {.rankl = &s_l, .opg = &s_o, .drug = &s_d}, dt);
  auto a = [&](double k) { return 1 + k * dt; };
  for (Index n = 0; n < g.nx; ++n) {
    const Totals t = totals(before, n);
    const double lhs_l = a(cfg.rankl.decay_per_day) * f.rankl.data[n] +
                         a(cfg.rankl_opg.decay_per_day) * f.rankl_opg.data[n] +
                         a(cfg.rankl_drug.decay_per_day) * f.rankl_drug.data[n] +
                         a(cfg.rankl_rank_decay_per_day) * f.rankl_rank.data[n];
    EXPECT_LT(rel(lhs_l, t.l + dt * 168), 1e-6);
    EXPECT_LT(rel(a(cfg.opg.decay_per_day) * f.opg.data[n] +
                      a(cfg.rankl_opg.decay_per_day) * f.rankl_opg.data[n],
                  t.o + dt * 70),
              1e-6);
    EXPECT_LT(rel(a(cfg.drug.decay_per_day) * f.drug.data[n] +
                      a(cfg.rankl_drug.decay_per_day) * f.rankl_drug.data[n],
                  t.d + dt * 5),
              1e-6);
  }
}

// Held drugs (blood-borne denosumab D and OPG-Fc F): free denosumab = its level
// everywhere, the blocking complexes K_D L D + K_O L F in equilibrium with them, and
// RANKL's implicit balance closes with the complexes' decay.
TEST(Signalling, HeldDrugsFixTheFreeDrugAndBalanceRankl) {
  const GridShape g = GridShape::make(6, 3, 2);
  const FieldsConfig cfg;
  SignallingFields f = random_fields(g, 3);
  const SignallingFields before = f;
  const Field<float> s_l(g, 168.0f), s_o(g, 70.0f);
  const double dt = 0.25, held = 300.0, opg_fc = 2000.0;
  react_signalling(f, cfg, Mask(g, 0),
                   {.rankl = &s_l, .opg = &s_o, .drug_held_pM = held, .opg_fc_held_pM = opg_fc},
                   dt);
  auto a = [&](double k) { return 1 + k * dt; };
  for (Index n = 0; n < g.nx; ++n) {
    const Totals t = totals(before, n);
    EXPECT_FLOAT_EQ(f.drug.data[n], float(held));
    const double blocking = cfg.k_a_rankl_drug_per_pM * held + cfg.k_a_rankl_opg_per_pM * opg_fc;
    EXPECT_LT(rel(f.rankl_drug.data[n], blocking * double(f.rankl.data[n])), 1e-6);
    const double lhs_l = a(cfg.rankl.decay_per_day) * f.rankl.data[n] +
                         a(cfg.rankl_opg.decay_per_day) * f.rankl_opg.data[n] +
                         a(cfg.rankl_drug.decay_per_day) * f.rankl_drug.data[n] +
                         a(cfg.rankl_rank_decay_per_day) * f.rankl_rank.data[n];
    EXPECT_LT(rel(lhs_l, t.l + dt * 168), 1e-6);
    // Free RANKL is about 1 / (1 + K_D D) of what it is without the drug: ~100x less.
    EXPECT_LT(f.rankl.data[n], 0.02 * (t.l + dt * 168));
  }
}

// The continuous well-mixed steady state, independently of the step code: with
// O = s_O / (k_O + k_LO K_O L) and Dg = s_D / (k_D + k_LD K_D L), RANKL balance
// s_L = k_L L + k_LO C_LO + k_LD C_LD + k_LR C_LR is monotone in L: bisect.
struct Steady {
  double l, o, d, lo, ld, lr;
};
Steady well_mixed_steady_state(const FieldsConfig& c, double s_l, double s_o, double s_d) {
  auto state = [&](double l) {
    const double o =
        s_o / (c.opg.decay_per_day + c.rankl_opg.decay_per_day * c.k_a_rankl_opg_per_pM * l);
    const double d =
        s_d / (c.drug.decay_per_day + c.rankl_drug.decay_per_day * c.k_a_rankl_drug_per_pM * l);
    const double u = c.k_a_rankl_rank_per_pM * l;
    return Steady{l,
                  o,
                  d,
                  c.k_a_rankl_opg_per_pM * l * o,
                  c.k_a_rankl_drug_per_pM * l * d,
                  c.rank_pM * u / (1 + u)};
  };
  auto loss = [&](const Steady& s) {
    return c.rankl.decay_per_day * s.l + c.rankl_opg.decay_per_day * s.lo +
           c.rankl_drug.decay_per_day * s.ld + c.rankl_rank_decay_per_day * s.lr;
  };
  double lo = 0, hi = s_l / c.rankl.decay_per_day;
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    (loss(state(mid)) < s_l ? lo : hi) = mid;
  }
  return state(0.5 * (lo + hi));
}

double steady_error(const SignallingFields& f, const Steady& s, Index n) {
  return std::max({rel(f.rankl.data[n], s.l), rel(f.opg.data[n], s.o), rel(f.drug.data[n], s.d),
                   rel(f.rankl_opg.data[n], s.lo), rel(f.rankl_drug.data[n], s.ld),
                   rel(f.rankl_rank.data[n], s.lr)});
}

TEST(Signalling, ReactionReachesTheWellMixedSteadyStateAtAnyStep) {
  const FieldsConfig cfg;
  const GridShape g = GridShape::make(2, 2, 2);
  for (const double s_d : {0.0, 50.0}) {
    const Steady want = well_mixed_steady_state(cfg, 168, 70, s_d);
    for (const double dt : {0.05, 0.25, 1.0}) {
      SignallingFields f = make_signalling_fields(g, cfg);
      const Field<float> s_l(g, 168.0f), s_o(g, 70.0f), s_dr(g, float(s_d));
      for (int n = 0; n * dt < 4000; ++n) {
        react_signalling(f, cfg, Mask(g, 0), {.rankl = &s_l, .opg = &s_o, .drug = &s_dr}, dt);
      }
      const double err = steady_error(f, want, 0);
      std::printf("drug source %g, dt %g: steady state within %.2e (L %.4g pM, occupancy %.4g)\n",
                  s_d, dt, err, want.l, rank_occupancy(f, cfg, 0, 0, 0));
      // Float state stagnates where a step's change falls below half an ulp: an offset of
      // about 6e-8 / (k dt) for the slowest decay k (the drug's 0.0115/day).
      EXPECT_LT(err, std::max(1e-5, 1.5e-7 / (cfg.drug.decay_per_day * dt)));
    }
  }
}

TEST(Signalling, OccupancyFallsWithOpgAndDrug) {
  const FieldsConfig cfg;
  const GridShape g = GridShape::make(8, 1, 2);
  SignallingFields f = make_signalling_fields(g, cfg);
  for (int i = 0; i < g.nx; ++i) {
    f.rankl(i, 0, 0) = f.rankl(i, 0, 1) = 20.0f;
    f.opg(i, 0, 0) = float(50 * i * i);  // OPG rises along x
    f.drug(i, 0, 1) = float(2 * i * i);  // drug rises along x
  }
  react_signalling(f, cfg, Mask(g, 0), {}, 0.0);
  for (int k = 0; k < 2; ++k) {
    for (int i = 1; i < g.nx; ++i) {
      EXPECT_LT(rank_occupancy(f, cfg, i, 0, k), rank_occupancy(f, cfg, i - 1, 0, k));
    }
  }
}

TEST(Signalling, RankComesFromCellsOrTheConfigAndNeverFromBone) {
  const FieldsConfig cfg;
  const GridShape g = GridShape::make(4, 1, 1);
  SignallingFields f = make_signalling_fields(g, cfg);
  for (float& v : f.rankl.data) v = 30.0f;
  Mask bone(g, 0);
  bone(1, 0, 0) = 1;
  SignallingFields from_cfg = f;
  react_signalling(from_cfg, cfg, bone, {}, 0.0);
  EXPECT_GT(from_cfg.rankl_rank(0, 0, 0), 0.0f);
  EXPECT_EQ(from_cfg.rankl_rank(1, 0, 0), 0.0f);
  Field<float> rank(g, 0.0f);
  rank(2, 0, 0) = 40.0f;
  react_signalling(f, cfg, bone, {}, 0.0, &rank);
  EXPECT_EQ(f.rankl_rank(0, 0, 0), 0.0f);
  EXPECT_GT(f.rankl_rank(2, 0, 0), from_cfg.rankl_rank(2, 0, 0));
  // Depletion by RANK lowers free RANKL; occupancy stays K L / (1 + K L).
  EXPECT_LT(f.rankl(2, 0, 0), f.rankl(0, 0, 0));
  EXPECT_NEAR(f.rankl_rank(2, 0, 0) / 40.0, rank_occupancy(f, cfg, 2, 0, 0), 1e-6);
}

// Every key documented, every default inside its own range and choices.
struct CheckKeys {
  std::string path;
  int keys = 0;
  template <class T>
  void value(std::string_view key, T& v, const KeySpec& spec) {
    ++keys;
    const std::string name = path + std::string(key);
    EXPECT_FALSE(spec.doc.empty()) << name;
    if constexpr (std::is_arithmetic_v<T>) {
      EXPECT_GE(double(v), spec.min) << name;
      EXPECT_LE(double(v), spec.max) << name;
      if (spec.min_open) {
        EXPECT_GT(double(v), spec.min) << name;
      }
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!spec.choices.empty()) {
        EXPECT_NE(("|" + std::string(spec.choices) + "|").find("|" + v + "|"), std::string::npos)
            << name;
      }
    }
  }
  template <class S>
  void section(std::string_view key, S& sub) {
    CheckKeys inner{path + std::string(key) + ".", 0};
    sub.visit(inner);
    keys += inner.keys;
  }
};

TEST(FieldsConfig, EveryKeyIsDocumentedAndItsDefaultValid) {
  FieldsConfig cfg;
  CheckKeys check{"fields.", 0};
  cfg.visit(check);
  EXPECT_EQ(check.keys, 6 * (2 + 8) + 10);
}

TEST(FieldsConfig, DiffusivityPerSecondBecomesPerDayAndFacesInherit) {
  FieldsConfig cfg;
  cfg.opg.boundary.all = "fixed";
  cfg.opg.boundary.z_max = "no_flux";
  cfg.opg.boundary.fixed_value_pM = 3;
  cfg.bone_diffusivity_um2_per_s = 0.5;
  const DiffusionParams p = diffusion_params(cfg.opg, cfg);
  EXPECT_DOUBLE_EQ(p.diffusivity_um2_per_day, 28 * 86400.0);
  EXPECT_DOUBLE_EQ(p.bone_diffusivity_um2_per_day, 0.5 * 86400.0);
  EXPECT_DOUBLE_EQ(p.decay_per_day, 0.35);
  for (int face = 0; face < 5; ++face) EXPECT_EQ(p.boundary.type[face], Boundary::kFixed);
  EXPECT_EQ(p.boundary.type[5], Boundary::kNoFlux);
  EXPECT_EQ(p.boundary.value[0], 3);
}

TEST(FieldsConfig, UnpairedPeriodicFacesAreReported) {
  FieldsConfig cfg;
  EXPECT_TRUE(fields_config_problems(cfg).empty());
  cfg.drug.boundary.y_min = "periodic";
  const auto issues = fields_config_problems(cfg);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].key, "fields.drug.boundary.y_max");
  cfg.drug.boundary.all = "periodic";
  cfg.drug.boundary.y_min = "inherit";
  EXPECT_TRUE(fields_config_problems(cfg).empty());
}

// ---- Through the implicit solver (src/fields/diffusion_solver*.cpp) ----

TEST(SignallingSolver, UniformSourcesReachTheWellMixedSteadyState) {
  FieldsConfig cfg;
  cfg.solver_tolerance = 1e-6;  // checked to 1e-4 below: the solves must be tighter
  const GridShape g = GridShape::make(6, 5, 4);
  const Mask bone(g, 0);
  SignallingSolvers solvers = make_signalling_solvers(bone, 20.0, cfg);
  SignallingFields f = make_signalling_fields(g, cfg);
  const Field<float> s_l(g, 168.0f), s_o(g, 70.0f), s_d(g, 50.0f), s_t(g, 3.0f);
  const SignallingSources src{.rankl = &s_l, .opg = &s_o, .drug = &s_d, .coupling = &s_t};
  const double dt = 1.0;
  for (int n = 0; n * dt < 3000; ++n) advance_signalling(f, cfg, bone, src, dt, solvers);
  const Steady want = well_mixed_steady_state(cfg, 168, 70, 50);
  double worst = 0;
  for_each_voxel(g, [&](int i, int j, int k) {
    const Index n = g.index(i, j, k);
    worst = std::max({worst, steady_error(f, want, n),
                      rel(f.coupling.data[n], 3.0 / cfg.coupling.decay_per_day)});
  });
  std::printf("end to end, well mixed: steady state within %.2e\n", worst);
  EXPECT_LT(worst, 1e-4);
}

TEST(SignallingSolver, BitIdenticalAtAnyThreadCount) {
  const FieldsConfig cfg;
  const GridShape g = GridShape::make(24, 20, 18);
  const Mask bone = some_bone(g);
  Field<float> s_l(g, 0.0f), s_o(g, 0.0f);
  for_each_voxel(g, [&](int i, int j, int k) {
    if (!bone(i, j, k) && (i * 7 + j * 3 + k) % 11 == 0) s_l(i, j, k) = 500.0f;
    if (!bone(i, j, k) && (i + j * 5 + k * 2) % 13 == 0) s_o(i, j, k) = 300.0f;
  });
  auto run = [&](int threads) {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
    SignallingSolvers solvers = make_signalling_solvers(bone, 20.0, cfg);
    SignallingFields f = make_signalling_fields(g, cfg);
    for (int n = 0; n < 8; ++n) {
      advance_signalling(f, cfg, bone, {.rankl = &s_l, .opg = &s_o}, 0.25, solvers);
    }
    return f;
  };
  const SignallingFields one = run(1);
  for (int t : {2, 4}) {
    const SignallingFields many = run(t);
    for (auto m : {&SignallingFields::rankl, &SignallingFields::opg, &SignallingFields::rankl_opg,
                   &SignallingFields::rankl_rank}) {
      EXPECT_EQ(std::memcmp((one.*m).data.data(), (many.*m).data.data(),
                            (one.*m).data.size() * sizeof(float)),
                0)
          << t << " threads";
    }
  }
}

// A source spreads over RANKL's decay length whatever the step: 2-day field steps (the
// default interval, 20 RANKL lifetimes) give the profile of 0.05-day steps. Were the
// source added after transport, it would stay in its voxel plane (local S / k) and
// the field a few voxels away would be ~20x too low.
TEST(SignallingSolver, LongStepsKeepTheSourcesDecayLength) {
  FieldsConfig cfg;
  cfg.solver_tolerance = 1e-8;
  const GridShape g = GridShape::make(48, 4, 4);
  const Mask bone(g, 0);
  Field<float> s_l(g, 0.0f), s_o(g, 100.0f);
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < 4; ++j) s_l(0, j, k) = 2000.0f;
  auto steady = [&](double dt) {
    SignallingSolvers solvers = make_signalling_solvers(bone, 40.0, cfg);
    SignallingFields f = make_signalling_fields(g, cfg);
    for (int n = 0; n * dt < 40; ++n) {
      advance_signalling(f, cfg, bone, {.rankl = &s_l, .opg = &s_o}, dt, solvers);
    }
    return f;
  };
  const SignallingFields fine = steady(0.05), coarse = steady(2.0);
  const double length_um =
      std::sqrt(cfg.rankl.diffusivity_um2_per_s * 86400 / cfg.rankl.decay_per_day);
  double worst = 0;
  for (int i = 0; i < 40; ++i)
    worst = std::max(worst, rel(coarse.rankl(i, 1, 1), fine.rankl(i, 1, 1)));
  // The profile falls by e over the decay length (~14 voxels of 40 um) in both.
  const int n_e = int(std::lround(length_um / 40));
  std::printf(
      "RANKL at 0 / %d / 30 voxels: %.3g / %.3g / %.3g pM (0.05-day steps), %.3g / %.3g / %.3g "
      "(2-day); worst difference %.3f\n",
      n_e, fine.rankl(0, 1, 1), fine.rankl(n_e, 1, 1), fine.rankl(30, 1, 1), coarse.rankl(0, 1, 1),
      coarse.rankl(n_e, 1, 1), coarse.rankl(30, 1, 1), worst);
  EXPECT_LT(worst, 0.05);
  EXPECT_GT(fine.rankl(n_e, 1, 1), 0.25 * fine.rankl(0, 1, 1));
  EXPECT_LT(fine.rankl(n_e, 1, 1), 0.5 * fine.rankl(0, 1, 1));
}

}  // namespace
}  // namespace bonesim
