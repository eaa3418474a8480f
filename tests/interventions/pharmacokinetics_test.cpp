#include "bonesim/interventions/pharmacokinetics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace bonesim {
namespace {

struct Peak {
  double day = 0;
  double ng_per_mL = 0;
};

// Peak of the serum level within `days` of a state, sampled every 0.05 day.
Peak find_peak(PkState s, const PkParameters& p, double days) {
  Peak peak;
  const int n = static_cast<int>(std::lround(days / 0.05));
  for (int i = 1; i <= n; ++i) {
    advance_pk(s, p, 0.05);
    if (s.central_ng_per_mL > peak.ng_per_mL) peak = {i * 0.05, s.central_ng_per_mL};
  }
  return peak;
}

double serum_at(PkState s, const PkParameters& p, double day) {
  advance_pk(s, p, day);
  return s.central_ng_per_mL;
}

// Apparent half-life (days) from the serum levels on days `a` and `b` after a single dose.
double apparent_half_life(const PkState& dosed, const PkParameters& p, double a, double b) {
  const double ca = serum_at(dosed, p, a);
  const double cb = serum_at(dosed, p, b);
  return (b - a) * std::log(2.0) / std::log(ca / cb);
}

PkState single_dose(const PkParameters& p, double dose_mg) {
  PkState s;
  add_dose(s, p, dose_mg);
  return s;
}

TEST(Pharmacokinetics, SerumMolarityFollowsTheMolarMass) {
  PkState s;
  s.central_ng_per_mL = 147;
  EXPECT_NEAR(serum_pM(s, denosumab_pk()), 1000.0, 1e-9);  // 147 ng/mL of a 147 kDa IgG
  PkParameters p;
  p.molar_mass_g_per_mol = 90000;
  s.central_ng_per_mL = 9;
  EXPECT_NEAR(serum_pM(s, p), 100.0, 1e-9);
}

TEST(Pharmacokinetics, DoseGoesIntoTheDepotPerKgTimesBioavailability) {
  PkParameters p;
  p.bioavailability = 0.5;
  p.body_mass_kg = 80;
  PkState s;
  add_dose(s, p, 60);
  EXPECT_DOUBLE_EQ(s.depot_ng_per_kg, 0.5 * 60e6 / 80);
  add_dose_mg_per_kg(s, p, 3);
  EXPECT_DOUBLE_EQ(s.depot_ng_per_kg, 0.5 * 60e6 / 80 + 0.5 * 3e6);
}

TEST(Pharmacokinetics, WithoutEliminationTheBodyKeepsEveryNanogram) {
  PkParameters one;  // Martinez-Reina 2019: F = 1, 60 kg
  one.elimination_per_day = 0;
  one.vmax_ng_per_kg_per_day = 0;
  PkParameters two = one;  // with a peripheral compartment as well
  two.peripheral_volume_mL_per_kg = 30;
  two.intercompartment_clearance_mL_per_kg_per_day = 12;
  for (const PkParameters& p : {one, two}) {
    PkState s = single_dose(p, 60);
    const double dosed = body_amount_ng_per_kg(s, p);
    EXPECT_DOUBLE_EQ(dosed, 1e6);
    for (int i = 0; i < 150; ++i) {
      advance_pk(s, p, 0.7);
      ASSERT_NEAR(body_amount_ng_per_kg(s, p), dosed, 1e-10 * dosed) << i;
    }
    EXPECT_LT(s.depot_ng_per_kg, 1e-6 * dosed);  // absorbed by day 105
    EXPECT_GT(s.central_ng_per_mL, 0.5 * dosed / p.central_volume_mL_per_kg);
  }
}

TEST(Pharmacokinetics, LinearEliminationMatchesTheBatemanFunction) {
  PkParameters p;  // Martinez-Reina 2019, no peripheral compartment
  p.vmax_ng_per_kg_per_day = 0;
  p.bioavailability = 0.61;
  const double dose_ng_per_kg = 0.61 * 60e6 / p.body_mass_kg;
  const double ka = p.absorption_per_day;
  const double ke = p.elimination_per_day;
  PkState s = single_dose(p, 60);
  double day = 0;
  for (const double dt : {0.3, 2.0, 7.7, 20.0, 50.0, 100.0, 180.0}) {
    advance_pk(s, p, dt);
    day += dt;
    const double bateman = dose_ng_per_kg * ka / (p.central_volume_mL_per_kg * (ka - ke)) *
                           (std::exp(-ke * day) - std::exp(-ka * day));
    EXPECT_NEAR(s.central_ng_per_mL, bateman, 1e-6 * bateman) << "day " << day;
    EXPECT_NEAR(s.depot_ng_per_kg, dose_ng_per_kg * std::exp(-ka * day),
                1e-6 * dose_ng_per_kg * std::exp(-ka * day))
        << "day " << day;
  }
}

// Prolia label: after 60 mg sc, Cmax 6.75 ug/mL at a median 10 days (3-21), mean half-life
// 25.4 days; biology reference section 3: 25-28 days.
TEST(Pharmacokinetics, DenosumabSixtyMilligramsPeaksNearDayTenAndFallsWithAMonthsHalfLife) {
  const PkParameters p = denosumab_pk();
  const PkState dosed = single_dose(p, 60);
  const Peak peak = find_peak(dosed, p, 60);
  const double half_life = apparent_half_life(dosed, p, 30, 90);
  std::printf(
      "denosumab 60 mg: tmax %.2f d (label ~10), Cmax %.2f ug/mL (label 6.75), "
      "half-life days 30-90 %.1f d (published 25-28)\n",
      peak.day, peak.ng_per_mL / 1000, half_life);
  EXPECT_GE(peak.day, 5);
  EXPECT_LE(peak.day, 20);
  EXPECT_GT(peak.ng_per_mL / 1000, 6.75 / 2);
  EXPECT_LT(peak.ng_per_mL / 1000, 6.75 * 2);
  EXPECT_GT(half_life, 10);
  EXPECT_LT(half_life, 40);
}

// Target-mediated clearance saturates: a larger dose lives longer (biology reference
// section 3: 15 days at 60 mg, 26 at 120 mg).
TEST(Pharmacokinetics, DenosumabHalfLifeGrowsWithTheDose) {
  const PkParameters p = denosumab_pk();
  const double at_60 = apparent_half_life(single_dose(p, 60), p, 30, 90);
  const double at_120 = apparent_half_life(single_dose(p, 120), p, 30, 90);
  std::printf(
      "denosumab half-life days 30-90: %.1f d at 60 mg, %.1f d at 120 mg "
      "(published 15 and 26)\n",
      at_60, at_120);
  EXPECT_GT(at_120, at_60 * 1.1);
  // Without the saturable path the half-life would not depend on the dose.
  PkParameters linear = p;
  linear.vmax_ng_per_kg_per_day = 0;
  EXPECT_NEAR(apparent_half_life(single_dose(linear, 60), linear, 30, 90),
              apparent_half_life(single_dose(linear, 120), linear, 30, 90), 1e-6);
}

// Prolia 60 mg every 6 months: no accumulation, the same saw-tooth in every cycle.
TEST(Pharmacokinetics, DenosumabEverySixMonthsRepeatsTheSameSawTooth) {
  const PkParameters p = denosumab_pk();
  const std::vector<DoseEvent> doses = {{0, 60}, {182, 60}, {364, 60}, {546, 60}};
  PkState s;
  std::vector<double> trough;  // just before doses 2, 3 and 4
  std::vector<double> peak(4, 0.0);
  const double dt = 0.5;
  for (int step = 0; step < static_cast<int>(728 / dt); ++step) {
    const double day = step * dt;
    if (step > 0 && std::fmod(day, 182.0) == 0) trough.push_back(s.central_ng_per_mL);
    advance_pk_with_doses(s, p, doses, day, (step + 1) * dt);
    const auto cycle = static_cast<std::size_t>(day / 182);
    peak[cycle] = std::max(peak[cycle], s.central_ng_per_mL);
  }
  ASSERT_EQ(trough.size(), 3u);
  std::printf(
      "denosumab q6m: peaks %.0f %.0f %.0f %.0f ng/mL, troughs before doses 2-4 "
      "%.2f %.2f %.2f ng/mL\n",
      peak[0], peak[1], peak[2], peak[3], trough[0], trough[1], trough[2]);
  for (const double c : trough) EXPECT_LT(c, 0.01 * peak[0]);  // near zero before each dose
  EXPECT_NEAR(trough[2], trough[1], 0.03 * trough[1]);         // trough after dose 3 vs dose 2
  EXPECT_NEAR(peak[2], peak[1], 0.01 * peak[1]);
  EXPECT_NEAR(peak[1], peak[0], 0.01 * peak[0]);
}

// Doses land mid-step, on a step boundary and out of order; the level at day 60 must not
// depend on the step.
TEST(Pharmacokinetics, DosesAreGivenAtTheirDayWhateverTheStep) {
  const PkParameters p = denosumab_pk();
  const std::vector<DoseEvent> doses = {{25.63, 120}, {0.37, 60}, {40.0, 30}};
  auto run = [&](double dt) {
    PkState s;
    const int steps = static_cast<int>(std::lround(60 / dt));
    for (int i = 0; i < steps; ++i) advance_pk_with_doses(s, p, doses, i * dt, (i + 1) * dt);
    return s.central_ng_per_mL;
  };
  // The same by hand, dose by dose.
  PkState by_hand;
  advance_pk(by_hand, p, 0.37);
  add_dose(by_hand, p, 60);
  advance_pk(by_hand, p, 25.63 - 0.37);
  add_dose(by_hand, p, 120);
  advance_pk(by_hand, p, 40.0 - 25.63);
  add_dose(by_hand, p, 30);
  advance_pk(by_hand, p, 20.0);
  const double ref = by_hand.central_ng_per_mL;
  std::printf("schedule, day 60: %.9g ng/mL by hand; dt 0.1 %.9g, 0.25 %.9g, 1.0 %.9g\n", ref,
              run(0.1), run(0.25), run(1.0));
  for (const double dt : {0.1, 0.25, 1.0}) EXPECT_NEAR(run(dt), ref, 1e-6 * ref) << dt;
}

// A much stiffer saturable clearance (Km 0.1 ng/mL: Vmax / (V_c Km) ~ 1100/day) must not
// need a smaller step from the caller: one-day steps agree with 0.01-day steps.
TEST(Pharmacokinetics, StiffTargetMediatedClearanceNeedsNoSmallerStep) {
  PkParameters p = opg_fc_pk();
  p.km_ng_per_mL = 0.1;
  PkState coarse, fine;
  add_dose_mg_per_kg(coarse, p, 3);
  add_dose_mg_per_kg(fine, p, 3);
  for (int day = 1; day <= 20; ++day) {
    advance_pk(coarse, p, 1.0);
    for (int i = 0; i < 100; ++i) advance_pk(fine, p, 0.01);
    ASSERT_GE(coarse.central_ng_per_mL, 0) << day;
    EXPECT_NEAR(coarse.central_ng_per_mL, fine.central_ng_per_mL, 1e-6 * fine.central_ng_per_mL)
        << day;
  }
}

// Zierhut et al. 2008 as published (DDMODEL00000233): two peripheral compartments, hours,
// whole-body mg and mL, 70 kg; a 3 mg/kg sc dose. Serum ng/mL at `hours`.
std::vector<double> zierhut_reference(const std::vector<double>& hours) {
  const double cl = 168, vc = 2800, vp1 = 443, vp2 = 269, q1 = 15.5, q2 = 3.02;
  const double ka = 0.0131, vmax = 13300, km = 6.74, fsc = 0.0719;
  struct Y {
    double sc, cent, p1, p2;
  };
  auto f = [&](const Y& y) {
    const double cp = y.cent / vc * 1e6;  // ng/mL
    const double clnl = vmax / (cp + km);
    return Y{-ka * y.sc,
             ka * y.sc - (cl + q1 + q2 + clnl) * y.cent / vc + q1 * y.p1 / vp1 + q2 * y.p2 / vp2,
             y.cent * q1 / vc - y.p1 * q1 / vp1, y.cent * q2 / vc - y.p2 * q2 / vp2};
  };
  auto add = [](const Y& a, double h, const Y& b) {
    return Y{a.sc + h * b.sc, a.cent + h * b.cent, a.p1 + h * b.p1, a.p2 + h * b.p2};
  };
  Y y{fsc / (1 + fsc) * 3 * 70, 0, 0, 0};  // mg
  std::vector<double> out;
  const double h = 0.02;  // hours
  double t = 0;
  for (const double until : hours) {
    const int n = static_cast<int>(std::lround((until - t) / h));
    for (int i = 0; i < n; ++i) {
      const Y k1 = f(y), k2 = f(add(y, h / 2, k1)), k3 = f(add(y, h / 2, k2)),
              k4 = f(add(y, h, k3));
      y.sc += h / 6 * (k1.sc + 2 * k2.sc + 2 * k3.sc + k4.sc);
      y.cent += h / 6 * (k1.cent + 2 * k2.cent + 2 * k3.cent + k4.cent);
      y.p1 += h / 6 * (k1.p1 + 2 * k2.p1 + 2 * k3.p1 + k4.p1);
      y.p2 += h / 6 * (k1.p2 + 2 * k2.p2 + 2 * k3.p2 + k4.p2);
    }
    t = until;
    out.push_back(y.cent / vc * 1e6);
  }
  return out;
}

// OPG-Fc 3 mg/kg sc (Bekker 2001's top dose). Absorption (ka 0.0131/h, Zierhut) is slower
// than elimination (flip-flop): once the serum level is far below Km it falls with the
// absorption half-life ln 2 / ka = 2.2 days. On the way there, while it passes Km, the
// saturable clearance speeds up and the level falls faster than the depot empties.
TEST(Pharmacokinetics, OpgFcThreeMgPerKgPeaksAndFallsWithTheAbsorptionHalfLife) {
  const PkParameters p = opg_fc_pk();
  PkState dosed;
  add_dose_mg_per_kg(dosed, p, 3);
  const Peak peak = find_peak(dosed, p, 30);
  const double early = apparent_half_life(dosed, p, 2, 4);
  const double mid = apparent_half_life(dosed, p, 7, 14);
  const double terminal = apparent_half_life(dosed, p, 20, 30);
  const double absorption_half_life = std::log(2.0) / p.absorption_per_day;
  std::printf(
      "OPG-Fc 3 mg/kg: tmax %.2f d, Cmax %.0f ng/mL (%.0f pM); apparent half-life "
      "%.2f d (days 2-4), %.2f d (7-14), %.2f d (20-30); ln2/ka %.2f d\n",
      peak.day, peak.ng_per_mL, peak.ng_per_mL * 1e6 / p.molar_mass_g_per_mol, early, mid, terminal,
      absorption_half_life);
  EXPECT_GT(peak.day, 0.5);
  EXPECT_LT(peak.day, 5);
  EXPECT_NEAR(terminal, absorption_half_life, 0.05 * absorption_half_life);
  EXPECT_LT(mid, 0.75 * terminal);
  EXPECT_LT(serum_at(dosed, p, 30), 1e-4 * peak.ng_per_mL);

  // The lumped peripheral compartment against the published three-compartment model.
  const std::vector<double> days = {0.5, 1, 2, 4, 7, 10, 14};
  std::vector<double> hours;
  for (const double d : days) hours.push_back(24 * d);
  const std::vector<double> reference = zierhut_reference(hours);
  for (std::size_t i = 0; i < days.size(); ++i) {
    const double ours = serum_at(dosed, p, days[i]);
    std::printf("  day %5.1f: %10.4g ng/mL lumped, %10.4g three-compartment\n", days[i], ours,
                reference[i]);
    EXPECT_NEAR(ours, reference[i], 0.05 * reference[i]) << "day " << days[i];
  }
}

}  // namespace
}  // namespace bonesim
