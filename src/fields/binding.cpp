#include "bonesim/fields/binding.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace bonesim {

namespace {

double non_negative(double x) {
  return x > 0 ? x : 0.0;
}  // NaN is caught before this

struct Receptor {
  double k;      // association constant (1/pM)
  double total;  // X_T (pM)
};

}  // namespace

BindingState solve_binding(const BindingConstants& kc, const BindingTotals& t) {
  const double in[] = {kc.k_opg_per_pM, kc.k_rank_per_pM, kc.k_drug_per_pM, t.rankl_pM,
                       t.opg_pM,        t.rank_pM,        t.drug_pM};
  if (std::any_of(std::begin(in), std::end(in), [](double x) { return std::isnan(x); })) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, nan, nan, nan, nan, nan, nan, 0};
  }
  const double lt = non_negative(t.rankl_pM);
  const Receptor rec[3] = {{non_negative(kc.k_opg_per_pM), non_negative(t.opg_pM)},
                           {non_negative(kc.k_rank_per_pM), non_negative(t.rank_pM)},
                           {non_negative(kc.k_drug_per_pM), non_negative(t.drug_pM)}};

  double l = 0;
  int it = 0;
  if (lt > 0) {
    // First Newton step from L = 0. By concavity every Newton iterate from below stays
    // below the root, so this is already a lower bound.
    double slope0 = 1.0;
    for (const Receptor& r : rec) slope0 += r.k * r.total;
    double lo = 0, hi = lt;
    l = lt / slope0;
    constexpr double kEps = std::numeric_limits<double>::epsilon();
    for (it = 1; it <= 200; ++it) {
      double f = l - lt, fp = 1.0;
      for (const Receptor& r : rec) {
        const double u = r.k * l;
        const double s = 1.0 / (1.0 + u);
        f += r.total * (u * s);
        fp += r.total * r.k * s * s;  // 0 rather than inf when (1 + u)^2 overflows
      }
      if (f == 0) break;
      (f < 0 ? lo : hi) = l;
      const double step = f / fp;
      if (std::abs(step) <= 4 * kEps * l) {
        // Converged to round-off in f; a step out of the bracket is noise, not news.
        if (l - step > lo && l - step < hi) l -= step;
        break;
      }
      double next = l - step;
      if (!(next > lo && next < hi)) {
        // Newton left the bracket (only possible through round-off or from above the
        // root): bisect, geometrically when the bracket spans decades.
        next = (lo > 0 && hi > 4 * lo) ? std::sqrt(lo * hi) : 0.5 * (lo + hi);
      }
      l = next;
      if (hi - lo <= 4 * kEps * hi) break;
    }
  }

  BindingState s;
  s.iterations = it;
  s.rankl_pM = l;
  double* bound[3] = {&s.rankl_opg_pM, &s.rankl_rank_pM, &s.rankl_drug_pM};
  double* free_receptor[3] = {&s.opg_pM, &s.rank_pM, &s.drug_pM};
  for (int x = 0; x < 3; ++x) {
    // Free and bound from the same ratio, so X = X_T to rounding whatever L is.
    const double u = rec[x].k * l;
    *bound[x] = rec[x].total * (u / (1.0 + u));
    *free_receptor[x] = rec[x].total / (1.0 + u);
  }
  s.rank_occupancy = rank_occupancy(rec[1].k, l);
  return s;
}

}  // namespace bonesim
