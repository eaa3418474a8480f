// A sweep file (`bonesim sweep SWEEP.yaml`, docs/SWEEPS.md): a base run config, the
// parameters to vary and the metrics to summarise. Structs mirror the YAML keys and are
// read by the same reader as the run config (config_yaml.hpp: load_sweep_file), so
// errors name the file, line, column and key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bonesim/config/key_spec.hpp"
#include "bonesim/config/validate.hpp"

namespace bonesim {

// One varied key. Exactly one way of giving its values:
//   values: [a, b, c]                      the values as written (any YAML value)
//   from, to, count (+ scale linear|log)   an evenly spaced range, both ends included
//   distribution uniform|log_uniform, low, high: sampled (`samples` points, sweep-wide)
struct SweepParameter {
  std::string key;  // a run-config key path, as for --set: interventions[0].dose_mg
  std::vector<std::string> values;
  double from = 0, to = 0;
  int count = 0;
  std::string scale = "linear";
  std::string distribution;  // empty: not sampled
  double low = 0, high = 0;

  bool sampled() const { return !distribution.empty(); }

  template <class V>
  void visit(V& v) {
    v.value("key", key, {.doc = "run-config key path, as for --set"});
    v.value("values", values, {.doc = "the values, each any YAML value"});
    v.value("from", from, {.doc = "range: first value"});
    v.value("to", to, {.doc = "range: last value"});
    v.value("count", count, {.doc = "range: number of values", .min = 0, .max = 1000000});
    v.value("scale", scale, {.doc = "range spacing", .choices = "linear|log"});
    v.value("distribution", distribution,
            {.doc = "sampled parameter", .choices = "uniform|log_uniform"});
    v.value("low", low, {.doc = "sampled: lower bound"});
    v.value("high", high, {.doc = "sampled: upper bound"});
  }
};

// One summary column: a metrics.csv column of each run reduced to one number.
struct SweepMetric {
  std::string name;    // column of summary.csv
  std::string column;  // of the run's metrics.csv
  std::string reduce = "last";
  double day = 0;         // reduce: at
  double from_day = 0;    // min, max, mean: window start (days)
  double to_day = 1e300;  // min, max, mean: window end (days)

  template <class V>
  void visit(V& v) {
    v.value("name", name, {.doc = "summary column name"});
    v.value("column", column, {.doc = "metrics.csv column"});
    v.value("reduce", reduce,
            {.doc = "last row, row at `day`, or min / max / mean over [from_day, to_day]",
             .choices = "last|at|min|max|mean"});
    v.value("day", day, {.doc = "reduce at: the last row at or before this day", .min = 0});
    v.value("from_day", from_day, {.doc = "window start (days)", .min = 0});
    v.value("to_day", to_day, {.doc = "window end (days)", .min = 0});
  }
};

struct SweepConfig {
  std::string base;                     // run config, relative to the sweep file
  std::vector<std::string> set;         // "key=value" overrides for every run
  std::string output = "output/sweep";  // the sweep's directory, relative to the working dir
  std::string combine = "product";
  int samples = 0;  // points drawn for the sampled parameters
  std::string sampling = "latin_hypercube";
  std::uint64_t seed = 1;  // of the sampling
  int replicates = 1;      // runs per point, with run.seed = base seed + replicate
  std::vector<SweepParameter> parameters;
  std::vector<SweepMetric> metrics;

  template <class V>
  void visit(V& v) {
    v.value("base", base, {.doc = "run config file, relative to the sweep file"});
    v.value("set", set, {.doc = "key=value overrides applied to every run"});
    v.value("output", output, {.doc = "sweep directory"});
    v.value("combine", combine,
            {.doc = "listed / ranged parameters: all combinations or side by side",
             .choices = "product|zip"});
    v.value("samples", samples,
            {.doc = "points drawn for the sampled parameters", .min = 0, .max = 1000000});
    v.value("sampling", sampling,
            {.doc = "how sampled points are drawn", .choices = "latin_hypercube|random"});
    v.value("seed", seed, {.doc = "seed of the sampling"});
    v.value("replicates", replicates,
            {.doc = "runs per point (run.seed = base seed + replicate)", .min = 1, .max = 100000});
    v.list("parameters", parameters, {.doc = "varied keys"});
    v.list("metrics", metrics, {.doc = "summary columns"});
  }
};

// Cross-key problems (keys prefixed as in the file): each parameter given one way, ranges
// and bounds well formed, zip lengths equal, samples given for sampled parameters,
// metric names unique.
std::vector<ConfigIssue> sweep_config_problems(const SweepConfig& cfg);

}  // namespace bonesim
