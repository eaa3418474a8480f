// Metrics rows of a run kept in memory, for tests that check a scenario's course.
#pragma once

#include <cmath>
#include <vector>

#include "bonesim/sim/metrics.hpp"
#include "bonesim/sim/run_loop.hpp"

namespace bonesim::testing_support {

// A run's output that keeps the metrics rows and drops the rest.
struct MetricsRows : RunOutput {
  std::vector<Metrics> rows;
  void write_metrics(const Metrics& m) override { rows.push_back(m); }
};

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
