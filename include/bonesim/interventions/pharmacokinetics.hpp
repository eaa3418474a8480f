// Serum level of a subcutaneously injected biologic (denosumab, OPG-Fc) for the
// intervention schedule (issue 7). Plain data and free functions, no state of their own.
//
// One subcutaneous depot, a central (serum) compartment and an optional peripheral one, with
// parallel linear and Michaelis-Menten (target-mediated) elimination from the central one,
// all per kg of body mass (denosumab: Martinez-Reina & Pivonka 2019, Bone 125:87; the
// peripheral compartment as in OpenBoneMin and Zierhut et al. 2008, J Pharmacokinet
// Pharmacodyn 35:379):
//   dA_d/dt     = -ka A_d                                      (depot, ng/kg)
//   V_c dC/dt   =  ka A_d - ke V_c C - Vmax C / (Km + C) - Q (C - C_p)
//   V_p dC_p/dt =  Q (C - C_p)                                 (C, C_p in ng/mL)
// A dose of D mg into a body of m kg adds F D 1e6 / m ng/kg to A_d. With Vmax = 0 and no
// peripheral compartment C(t) is the Bateman function
//   C = F D ka / (V_c (ka - ke)) (exp(-ke t) - exp(-ka t)).
// Serum molarity: 1 ng/mL = 1e6 / M pM for a molar mass M in g/mol.
#pragma once

#include <span>

namespace bonesim {

// Defaults: denosumab, the one-compartment set of Martinez-Reina & Pivonka 2019 (Bone
// 125:87). The model uses denosumab_pk(), which matches the Prolia label better.
struct PkParameters {
  double bioavailability = 1.0;            // F (-), fraction of a sc dose that is absorbed
  double absorption_per_day = 0.17;        // ka (1/day), depot -> central
  double central_volume_mL_per_kg = 77.9;  // V_c (mL/kg)
  // Peripheral compartment; 0 volume or 0 clearance = none (denosumab here has none).
  double peripheral_volume_mL_per_kg = 0;                   // V_p (mL/kg)
  double intercompartment_clearance_mL_per_kg_per_day = 0;  // Q (mL/(kg day))
  double elimination_per_day = 0.0115;                      // ke (1/day), linear elimination
  double vmax_ng_per_kg_per_day = 2672;                     // Vmax (ng/(kg day)); 0 = linear only
  double km_ng_per_mL = 411;                                // Km (ng/mL)
  double molar_mass_g_per_mol = 147000;                     // IgG2, ~147 kDa (Prolia label)
  double body_mass_kg = 60;  // 60 mg = 1e6 ng/kg as in Martinez-Reina 2019
};

// Denosumab (Prolia 60 mg sc every 6 months): the two-compartment set of OpenBoneMin
// (Riggs, Peterson et al.; biology.md section 3), whole-body values put per kg of a 70 kg
// adult. 60 mg gives tmax 14 days, Cmax 8.5 ug/mL, an apparent half-life of 30 days
// (days 30-90) and 5.5 ng/mL at day 182 (label: 10 days, 6.75 ug/mL, 25.4 days, levels
// declining over 4-5 months); the Martinez-Reina set above gives 16 days, 10.1 ug/mL,
// 40 days and 50 ng/mL.
PkParameters denosumab_pk();

// Recombinant Fc-OPG (AMG 0951 / AMGN-0007; Bekker et al. 2001, JBMR 16:348, single sc doses
// of 0.1-3 mg/kg in postmenopausal women): the population model fitted to that programme by
// Zierhut et al. 2008 (J Pharmacokinet Pharmacodyn 35:379; DDMORE DDMODEL00000233), per kg
// of a 70 kg woman, its two peripheral compartments lumped into one. Doses are in mg/kg:
// add_dose_mg_per_kg(), or DoseEvent::dose_mg = mg/kg x body_mass_kg. Which values are
// sourced and which are choices: src/interventions/pharmacokinetics.cpp.
PkParameters opg_fc_pk();

// What one person carries. Amounts are per kg of body mass.
struct PkState {
  double depot_ng_per_kg = 0;       // not yet absorbed from the injection site
  double central_ng_per_mL = 0;     // serum
  double peripheral_ng_per_mL = 0;  // 0 while there is no peripheral compartment
};

// A sc injection of `dose_mg` for the whole body: F dose / body mass into the depot.
void add_dose(PkState& s, const PkParameters& p, double dose_mg);
// The same for a dose given per kg of body mass (OPG-Fc trials dose in mg/kg).
void add_dose_mg_per_kg(PkState& s, const PkParameters& p, double dose_mg_per_kg);

// Integrates the equations above over `dt_days` (nothing for dt_days <= 0) with classic RK4
// on equal sub-steps of at most 0.05 day and at most 0.1 / (sum of the rate constants
// ka + ke + Vmax / (V_c Km) + Q / V_c + Q / V_p), so stiff sets (fast target-mediated
// clearance) stay accurate. The sub-steps depend on dt_days and the parameters only.
void advance_pk(PkState& s, const PkParameters& p, double dt_days);

// Serum concentration in pM from ng/mL through the molar mass.
double serum_pM(const PkState& s, const PkParameters& p);

// Drug in the body, depot included, in ng per kg of body mass (for mass balances).
double body_amount_ng_per_kg(const PkState& s, const PkParameters& p);

struct DoseEvent {
  double day = 0;      // simulation day of the injection
  double dose_mg = 0;  // whole-body dose (mg)
};

// Advances `s` from `from_day` to `to_day`, giving each dose whose day lies in
// [from_day, to_day) at that day (the interval is split there; doses in order of day,
// whatever their order in `doses`), so the result does not depend on the step beyond the
// integration error. Both ends are passed, not a dt, so that consecutive steps computed as
// step * dt_days (Simulation::day) tile the time line exactly: a dose on a step boundary
// is given once, in the step that starts there.
void advance_pk_with_doses(PkState& s, const PkParameters& p, std::span<const DoseEvent> doses,
                           double from_day, double to_day);

}  // namespace bonesim
