// Validation of the RANKL-OPG-RANK-drug binding equilibrium (docs/MODEL.md,
// "Signalling fields"): closed form, kinetic steady state, conservation and limits.
#include "bonesim/fields/binding.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

namespace bonesim {
namespace {

double rel(double a, double b) {
  const double scale = std::max(std::abs(a), std::abs(b));
  return scale == 0 ? 0.0 : std::abs(a - b) / scale;
}

// Complex C of one ligand and one receptor: K (L_T - C)(X_T - C) = C, the root of the
// quadratic in its cancellation-free form.
double one_competitor_complex(double k, double lt, double xt) {
  const double b = k * (lt + xt) + 1.0;
  return 2.0 * k * lt * xt / (b + std::sqrt(b * b - 4.0 * k * k * lt * xt));
}

TEST(Binding, OneCompetitorMatchesTheClosedForm) {
  const BindingConstants pivonka;
  double worst = 0;
  for (int which = 0; which < 3; ++which) {
    for (double lt = 1e-3; lt < 1e6; lt *= 3.7) {
      for (double xt = 1e-3; xt < 1e6; xt *= 4.1) {
        BindingTotals t{.rankl_pM = lt};
        double k = 0, bound = 0;
        BindingState s;
        if (which == 0) {
          t.opg_pM = xt;
          s = solve_binding(pivonka, t);
          k = pivonka.k_opg_per_pM, bound = s.rankl_opg_pM;
        } else if (which == 1) {
          t.rank_pM = xt;
          s = solve_binding(pivonka, t);
          k = pivonka.k_rank_per_pM, bound = s.rankl_rank_pM;
        } else {
          t.drug_pM = xt;
          s = solve_binding(pivonka, t);
          k = pivonka.k_drug_per_pM, bound = s.rankl_drug_pM;
        }
        const double exact = one_competitor_complex(k, lt, xt);
        // Only the complex: the reference's free RANKL, lt - exact, loses digits itself.
        worst = std::max(worst, rel(bound, exact));
        ASSERT_LT(rel(bound, exact), 1e-12) << which << " " << lt << " " << xt;
      }
    }
  }
  std::printf("one competitor vs closed form: max relative error %.2e\n", worst);
}

// Mass-action kinetics with the Lemaire 2004 rates (per pM per day, per day); the drug's
// rates are chosen with on/off = K_AD. Integrated by RK4 long past every time scale.
std::array<double, 7> kinetic_steady_state(const BindingTotals& t) {
  const double on[3] = {1e-2, 5.8e-4, 0.0333}, off[3] = {10.0, 1.7e-2, 0.1};
  // y = L, O, R, Dg, C_LO, C_LR, C_LD
  auto rhs = [&](const std::array<double, 7>& y) {
    std::array<double, 7> d{};
    for (int x = 0; x < 3; ++x) {
      const double rate = on[x] * y[0] * y[1 + x] - off[x] * y[4 + x];
      d[0] -= rate;
      d[1 + x] -= rate;
      d[4 + x] += rate;
    }
    return d;
  };
  std::array<double, 7> y{t.rankl_pM, t.opg_pM, t.rank_pM, t.drug_pM, 0, 0, 0};
  const double dt = 0.005;
  for (int n = 0; n < 2000000; ++n) {  // 10,000 days
    auto add = [&](const std::array<double, 7>& a, double h) {
      std::array<double, 7> r;
      for (int v = 0; v < 7; ++v) r[v] = y[v] + h * a[v];
      return r;
    };
    const auto k1 = rhs(y), k2 = rhs(add(k1, dt / 2)), k3 = rhs(add(k2, dt / 2)),
               k4 = rhs(add(k3, dt));
    for (int v = 0; v < 7; ++v) y[v] += dt / 6 * (k1[v] + 2 * k2[v] + 2 * k3[v] + k4[v]);
  }
  return y;
}

TEST(Binding, FullSystemMatchesTheKineticSteadyState) {
  // The ODE's own on/off ratios: Lemaire's RANK rates give 3.412e-2, Pivonka rounds 3.41e-2.
  const BindingConstants k{1e-2 / 10.0, 5.8e-4 / 1.7e-2, 0.0333 / 0.1};
  double worst = 0;
  for (const BindingTotals& t : {BindingTotals{50, 400, 10, 30}, BindingTotals{5, 50, 10, 0},
                                 BindingTotals{200, 100, 10, 1000}, BindingTotals{3, 0, 10, 2}}) {
    const auto y = kinetic_steady_state(t);
    const BindingState s = solve_binding(k, t);
    const double got[7] = {s.rankl_pM,     s.opg_pM,        s.rank_pM,      s.drug_pM,
                           s.rankl_opg_pM, s.rankl_rank_pM, s.rankl_drug_pM};
    for (int v = 0; v < 7; ++v) {
      // Absolute floor: species that are ~1e-3 of their total carry the ODE's round-off.
      const double err = std::abs(got[v] - y[v]) / std::max(std::abs(y[v]), 1e-3);
      worst = std::max(worst, err);
      EXPECT_LT(err, 1e-8) << "species " << v << ": " << got[v] << " vs " << y[v];
    }
    EXPECT_NEAR(s.rank_occupancy, y[5] / t.rank_pM, 1e-9);
  }
  std::printf("full system vs kinetic steady state: max relative error %.2e\n", worst);
}

TEST(Binding, ConservesEveryTotal) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> decade(-6, 8);
  const BindingConstants k;
  double worst = 0;
  int most_iterations = 0;
  for (int n = 0; n < 100000; ++n) {
    const BindingTotals t{std::pow(10, decade(rng)), std::pow(10, decade(rng)),
                          std::pow(10, decade(rng)), std::pow(10, decade(rng))};
    const BindingState s = solve_binding(k, t);
    const double e[4] = {
        rel(s.rankl_pM + s.rankl_opg_pM + s.rankl_rank_pM + s.rankl_drug_pM, t.rankl_pM),
        rel(s.opg_pM + s.rankl_opg_pM, t.opg_pM), rel(s.rank_pM + s.rankl_rank_pM, t.rank_pM),
        rel(s.drug_pM + s.rankl_drug_pM, t.drug_pM)};
    for (double x : e) {
      worst = std::max(worst, x);
      ASSERT_LT(x, 1e-12) << t.rankl_pM << " " << t.opg_pM << " " << t.rank_pM << " " << t.drug_pM;
    }
    // Mass action itself holds at the answer.
    ASSERT_LT(rel(s.rankl_opg_pM, k.k_opg_per_pM * s.rankl_pM * s.opg_pM), 1e-12);
    ASSERT_LT(rel(s.rankl_drug_pM, k.k_drug_per_pM * s.rankl_pM * s.drug_pM), 1e-12);
    most_iterations = std::max(most_iterations, s.iterations);
  }
  std::printf(
      "conservation over 1e5 random totals (1e-6..1e8 pM): max relative error %.2e, "
      "at most %d iterations\n",
      worst, most_iterations);
}

TEST(Binding, PivonkaConstantsGiveRankKdOf29pM) {
  const BindingConstants k;
  EXPECT_NEAR(1.0 / k.k_rank_per_pM, 29.3, 0.05);
  // With negligible RANK, half the RANK is bound when free RANKL equals Kd.
  const BindingState s = solve_binding(k, {.rankl_pM = 1.0 / k.k_rank_per_pM, .rank_pM = 1e-9});
  EXPECT_NEAR(s.rank_occupancy, 0.5, 1e-9);
}

TEST(Binding, OccupancyFallsWithOpgAndDrug) {
  const BindingConstants k;
  double last = 1;
  for (double opg = 0; opg <= 1e5; opg = opg * 10 + 1) {
    const double occ =
        solve_binding(k, {.rankl_pM = 10, .opg_pM = opg, .rank_pM = 10}).rank_occupancy;
    EXPECT_LT(occ, last);
    last = occ;
  }
  last = 1;
  for (double drug = 0; drug <= 1e5; drug = drug * 10 + 1) {
    const double occ =
        solve_binding(k, {.rankl_pM = 10, .opg_pM = 100, .rank_pM = 10, .drug_pM = drug})
            .rank_occupancy;
    EXPECT_LT(occ, last);
    last = occ;
  }
}

TEST(Binding, Limits) {
  const BindingConstants k;
  // Denosumab at serum-like 40 nM blocks RANK almost completely.
  const BindingState dmab =
      solve_binding(k, {.rankl_pM = 10, .opg_pM = 100, .rank_pM = 10, .drug_pM = 4e4});
  EXPECT_LT(dmab.rank_occupancy, 1e-4);
  EXPECT_LT(solve_binding(k, {.rankl_pM = 10, .rank_pM = 10, .drug_pM = 1e12}).rank_occupancy,
            1e-11);
  // No ligand: every receptor free, nothing bound.
  const BindingState none = solve_binding(k, {.opg_pM = 5, .rank_pM = 7, .drug_pM = 3});
  EXPECT_EQ(none.rankl_pM, 0);
  EXPECT_EQ(none.opg_pM, 5);
  EXPECT_EQ(none.rank_pM, 7);
  EXPECT_EQ(none.drug_pM, 3);
  EXPECT_EQ(none.rank_occupancy, 0);
  // No receptors at all: RANKL stays free; occupancy is the no-depletion limit.
  const BindingState alone = solve_binding(k, {.rankl_pM = 29.3255});
  EXPECT_EQ(alone.rankl_pM, 29.3255);
  EXPECT_NEAR(alone.rank_occupancy, 0.5, 1e-4);
  // Everything zero.
  const BindingState zero = solve_binding(k, {});
  EXPECT_EQ(zero.rankl_pM + zero.rankl_opg_pM + zero.rank_occupancy, 0);
  // Huge values stay finite and conserve.
  const BindingState huge =
      solve_binding(k, {.rankl_pM = 1e30, .opg_pM = 3e29, .rank_pM = 1e25, .drug_pM = 5e29});
  EXPECT_TRUE(std::isfinite(huge.rankl_pM));
  EXPECT_LT(rel(huge.rankl_pM + huge.rankl_opg_pM + huge.rankl_rank_pM + huge.rankl_drug_pM, 1e30),
            1e-12);
  // Round-off below zero counts as zero; NaN propagates instead of hiding.
  const BindingState neg = solve_binding(k, {.rankl_pM = -1e-9, .opg_pM = 4});
  EXPECT_EQ(neg.rankl_pM, 0);
  EXPECT_EQ(neg.opg_pM, 4);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(solve_binding(k, {.rankl_pM = nan}).rank_occupancy));
}

}  // namespace
}  // namespace bonesim
