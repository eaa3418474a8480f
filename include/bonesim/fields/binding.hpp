// Equilibrium binding of RANKL to OPG, RANK and a RANKL-blocking drug in one voxel
// (docs/MODEL.md, "Signalling fields"; Pivonka et al. 2008, Bone 43:249; Lemaire et al.
// 2004, J Theor Biol 229:293; Martinez-Reina & Pivonka 2019, Bone 125:87). Units: pM.
//
// Mass action with every receptor conserved:
//   C_LO = K_O L O,  C_LR = K_R L R,  C_LD = K_D L Dg
//   L_T = L + C_LO + C_LR + C_LD,  O_T = O + C_LO,  R_T = R + C_LR,  Dg_T = Dg + C_LD.
// Eliminating the receptors (O = O_T / (1 + K_O L), ...) leaves one equation in the free
// ligand L,
//   f(L) = L + sum_X X_T K_X L / (1 + K_X L) - L_T = 0,
// increasing and concave on [0, L_T] with f(0) = -L_T <= 0 <= f(L_T): exactly one root,
// which Newton started from 0 approaches monotonically from below. solve_binding()
// runs that Newton iteration inside a shrinking bracket with a bisection fallback.
#pragma once

namespace bonesim {

struct BindingConstants {
  double k_opg_per_pM = 1e-3;      // K_A1, RANKL-OPG association (Pivonka 2008)
  double k_rank_per_pM = 3.41e-2;  // K_A2, RANKL-RANK association, Kd 29 pM (Pivonka 2008)
  double k_drug_per_pM = 0.333;    // K_AD, RANKL-denosumab association (Martinez-Reina 2019)
};

// What a voxel holds in all, free plus bound (pM).
struct BindingTotals {
  double rankl_pM = 0;
  double opg_pM = 0;
  double rank_pM = 0;  // RANK on the cells of the voxel, as a concentration
  double drug_pM = 0;
};

struct BindingState {
  double rankl_pM = 0;  // free RANKL L
  double opg_pM = 0;    // free OPG O
  double rank_pM = 0;   // free RANK R
  double drug_pM = 0;   // free drug Dg
  double rankl_opg_pM = 0;
  double rankl_rank_pM = 0;
  double rankl_drug_pM = 0;
  double rank_occupancy = 0;  // C_LR / R_T, the fraction of RANK bound by RANKL (-)
  int iterations = 0;         // Newton / bisection steps taken
};

// Fraction of RANK bound at free RANKL `rankl_pM`: K L / (1 + K L). It equals C_LR / R_T
// whenever R_T > 0, and is the no-depletion limit where a voxel holds no RANK, so a cell
// arriving in an empty voxel senses the RANKL that is there.
inline double rank_occupancy(double k_rank_per_pM, double rankl_pM) {
  const double u = k_rank_per_pM * rankl_pM;
  return u / (1.0 + u);
}

// The equilibrium for `totals`. Negative totals or constants count as 0 (an implicit
// solve may leave round-off below zero); a NaN input gives NaN outputs. Finite totals
// up to about 1e300 pM are handled; the free ligand is found to a few ulps, so every
// total is conserved to about 1e-15 relative.
BindingState solve_binding(const BindingConstants& k, const BindingTotals& totals);

}  // namespace bonesim
