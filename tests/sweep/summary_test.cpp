// Run records and metric reductions of a sweep (docs/SWEEPS.md).
#include "bonesim/sweep/summary.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "support/temp_dir.hpp"

namespace bonesim {
namespace {

TEST(SweepSummary, MetricsReduceOverTheirWindow) {
  const std::vector<std::string> columns{"day", "x"};
  const std::vector<std::vector<double>> rows{{0, 5}, {10, 3}, {20, NAN}, {30, 8}, {40, 1}};
  auto m = [](const std::string& reduce) {
    SweepMetric s;
    s.name = "m";
    s.column = "x";
    s.reduce = reduce;
    return s;
  };
  EXPECT_EQ(reduce_metric(m("last"), columns, rows), 1.0);
  SweepMetric at = m("at");
  at.day = 35;
  EXPECT_EQ(reduce_metric(at, columns, rows), 8.0);
  at.day = -1;
  EXPECT_TRUE(std::isnan(reduce_metric(at, columns, rows)));
  SweepMetric mean = m("mean");
  mean.from_day = 10;
  mean.to_day = 30;
  EXPECT_DOUBLE_EQ(reduce_metric(mean, columns, rows), 5.5);  // NaN rows skipped
  EXPECT_EQ(reduce_metric(m("min"), columns, rows), 1.0);
  EXPECT_EQ(reduce_metric(m("max"), columns, rows), 8.0);
  SweepMetric missing = m("last");
  missing.column = "nope";
  EXPECT_TRUE(std::isnan(reduce_metric(missing, columns, rows)));
}

TEST(SweepSummary, RecordsRoundTripAndAMissingOneIsPending) {
  testing_support::TempDir dir;
  EXPECT_EQ(read_run_record(dir.path).status, "pending");
  RunRecord r;
  r.status = "failed";
  r.exit_code = 1;
  r.wall_s = 2.5;
  r.config_hash = text_hash("abc");
  r.error = "x.mhd:1: expected 'Key = Value', got \"garbage\"";
  write_run_record(dir.path, r);
  const RunRecord back = read_run_record(dir.path);
  EXPECT_EQ(back.status, r.status);
  EXPECT_EQ(back.exit_code, 1);
  EXPECT_EQ(back.wall_s, 2.5);
  EXPECT_EQ(back.config_hash, r.config_hash);
  EXPECT_EQ(back.error, r.error);
  EXPECT_EQ(text_hash("abc"), "e71fa2190541574b");  // FNV-1a 64 of "abc"
}

}  // namespace
}  // namespace bonesim
