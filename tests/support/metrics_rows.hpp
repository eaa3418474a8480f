// Metrics rows of a run kept in memory, for tests that check a scenario's course.
#pragma once

#include <cmath>
#include <vector>

#include "bonesim/sim/metrics.hpp"

namespace bonesim::testing_support {

// Mean of f(row) over the rows with day in [from, to); NaN without such a row.
template <class F>
double mean_over(const std::vector<Metrics>& rows, double from, double to, F&& f) {
  double s = 0;
  int n = 0;
  for (const Metrics& m : rows) {
    if (m.day >= from && m.day < to) s += f(m), ++n;
  }
  return n ? s / n : NAN;
}

}  // namespace bonesim::testing_support
