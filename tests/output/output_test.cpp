#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cmath>
#include <csignal>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bonesim/config/config_yaml.hpp"
#include "bonesim/core/error.hpp"
#include "bonesim/output/atomic_file.hpp"
#include "bonesim/output/metrics_csv.hpp"
#include "bonesim/output/provenance.hpp"
#include "support/file_size_limit.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace bonesim {
namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

using testing_support::TempDir;

TEST(AtomicFile, ReplacesWholeFileAndLeavesNoTemporaries) {
  TempDir d;
  write_file_atomically(d.path / "a.txt", "first");
  write_file_atomically(d.path / "a.txt", "second");
  EXPECT_EQ(slurp(d.path / "a.txt"), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(d.path), fs::directory_iterator{}), 1);
}

// A file-size limit makes write() fail part-way, as a full disk does, even for root.
TEST(AtomicFile, WriteFailureNamesTheFileAndKeepsTheOldContent) {
  TempDir d;
  write_file_atomically(d.path / "a.txt", "old");
  std::string what;
  {
    testing_support::FileSizeLimit limit(1000);
    ASSERT_TRUE(limit.ok());
    try {
      write_file_atomically(d.path / "a.txt", std::string(5000, 'x'));
    } catch (const OutputError& e) {
      what = e.what();
    }
  }
  EXPECT_NE(what.find((d.path / "a.txt").string() + ": cannot write: File too large"),
            std::string::npos)
      << what;
  EXPECT_EQ(slurp(d.path / "a.txt"), "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(d.path), fs::directory_iterator{}), 1);
}

TEST(OutputDirectory, CreatesNestedAndRejectsFiles) {
  TempDir d;
  prepare_output_directory(d.path / "a" / "b");
  EXPECT_TRUE(fs::is_directory(d.path / "a" / "b"));
  std::ofstream(d.path / "file") << "x";
  EXPECT_THROW(prepare_output_directory(d.path / "file"), OutputError);
  EXPECT_THROW(prepare_output_directory(d.path / "file" / "sub"), OutputError);
}

TEST(MetricsCsv, HeaderAndExactRows) {
  TempDir d;
  {
    MetricsCsv csv(d.path / "metrics.csv");
    Metrics m;
    m.day = 0.1 + 0.2;
    m.step = 3;
    m.morphometry.bv_tv = 0.2;
    m.morphometry.tb_th_um = 151.25;
    m.morphometry.conn_d_per_mm3 = std::nan("");
    m.fields.rank_occupancy = 0.25;
    csv.append(m);
    EXPECT_EQ(csv.rows().size(), 1u);
  }
  const std::string text = slurp(d.path / "metrics.csv");
  EXPECT_EQ(
      text,
      MetricsCsv::header() +
          "0.30000000000000004,3,0.2,0,151.25,0,0,nan,0,0,0,0,0,0,0.25,0,0,0,nan,0,0,0,0,0,0,0,0,"
          "0,0,0,nan,nan,nan,nan,nan,nan,nan,nan,nan,nan,nan,1,nan,nan,nan,nan,nan,nan,"
          "0,nan,0,nan,0,nan,0,0\n");
}

TEST(MetricsCsv, ResumeKeepsRowsUpToTheStepAndDropsACutRow) {
  TempDir d;
  const fs::path p = d.path / "metrics.csv";
  {
    MetricsCsv csv(p);
    Metrics m;
    for (int s = 0; s <= 4; ++s) {
      m.step = s;
      m.day = 0.5 * s;
      csv.append(m);
    }
  }
  {
    std::ofstream(p, std::ios::app) << "2.5,5,0.1";  // a row cut by a kill
  }
  MetricsCsv resumed(p, 2);
  ASSERT_EQ(resumed.rows().size(), 3u);
  EXPECT_EQ(resumed.rows().back()[1], 2.0);
  Metrics m;
  m.step = 3;
  m.day = 1.5;
  resumed.append(m);
  const std::string text = slurp(p);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 5);  // header + 4 rows
  EXPECT_NE(text.find("\n1.5,3,"), std::string::npos) << text;
}

TEST(MetricsCsv, MalformedFileCannotBeResumed) {
  TempDir d;
  const fs::path p = d.path / "metrics.csv";
  std::ofstream(p) << MetricsCsv::header() << "0,0,x,0,0,0,0,0,0,0,0,0,0,0,0\n";
  try {
    MetricsCsv csv(p, 10);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("metrics.csv:2: 'x' is not a number"), std::string::npos)
        << e.what();
  }
}

TEST(Provenance, NamesVersionCommitSeedThreadsHost) {
  Config cfg;
  cfg.run.seed = 99;
  const std::string y = provenance_yaml(cfg, {"run.yaml", "bonesim run run.yaml", 3});
  for (const char* key :
       {"version:", "git_commit:", "seed: 99", "threads: 3",
        "host:", "started_utc:", "config_file: run.yaml", "command_line: bonesim run run.yaml"}) {
    EXPECT_NE(y.find(key), std::string::npos) << key << " missing in\n" << y;
  }
}

}  // namespace
}  // namespace bonesim
