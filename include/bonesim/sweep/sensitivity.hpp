// Sensitivity of a sweep's metrics to its parameters (docs/SWEEPS.md): partial rank
// correlation coefficients (PRCC; Marino et al. 2008, J Theor Biol 254:178) with their
// p-values.
#pragma once

#include <vector>

namespace bonesim {

struct Prcc {
  double coefficient;  // in [-1, 1]; NaN when undefined (constant column, too few runs)
  double p_value;      // two-sided, Student t with n - 2 - (k - 1) degrees of freedom
  int n;               // runs used (those with every value finite)
};

// Ranks 1..n, ties given their mean rank.
std::vector<double> ranks(const std::vector<double>& x);

// P(|T| >= |t|) for Student's t with `df` degrees of freedom (df > 0).
double student_t_two_sided_p(double t, double df);

// The PRCC of y with each parameter column (params[j][i]: parameter j in run i): the
// correlation of the residuals of rank(x_j) and rank(y), each regressed (least squares,
// with intercept) on the ranks of the other non-constant parameters. Runs with a NaN in
// y or any parameter are left out.
std::vector<Prcc> partial_rank_correlations(const std::vector<std::vector<double>>& params,
                                            const std::vector<double>& y);

}  // namespace bonesim
