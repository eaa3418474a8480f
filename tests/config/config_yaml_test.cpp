#include "bonesim/config/config_yaml.hpp"

#include "bonesim/sweep/plan.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "bonesim/core/error.hpp"
#include "support/temp_dir.hpp"

namespace bonesim {
namespace {

// The lines of the ConfigError thrown by loading `yaml`, or a failure if none is thrown.
std::vector<std::string> errors_of(const std::string& yaml,
                                   const std::vector<std::string>& set = {}) {
  try {
    load_config_text(yaml, "test.yaml", set);
  } catch (const ConfigError& e) {
    return e.lines;
  }
  ADD_FAILURE() << "no ConfigError for:\n" << yaml;
  return {};
}

bool any_line_has(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& l : lines) {
    if (l.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(ConfigYaml, EmptyFileGivesDefaults) {
  const Config c = load_config_text("", "empty.yaml");
  EXPECT_EQ(c.run.days, Config{}.run.days);
  EXPECT_EQ(c.lattice.synthetic.size_voxels, (std::array<int, 3>{150, 150, 150}));
}

TEST(ConfigYaml, ReadsEveryKindOfValue) {
  const Config c = load_config_text(R"(
run:
  days: 12.5
  seed: 42
  threads: 2
  output: {directory: here, metrics_interval_days: 0.5}
lattice:
  voxel_size_um: 25
  synthetic:
    size_voxels: [40, 50, 60]
    bv_tv: 0.3
)",
                                    "t.yaml");
  EXPECT_EQ(c.run.days, 12.5);
  EXPECT_EQ(c.run.seed, 42u);
  EXPECT_EQ(c.run.threads, 2);
  EXPECT_EQ(c.run.output.directory, "here");
  EXPECT_EQ(c.run.output.metrics_interval_days, 0.5);
  EXPECT_EQ(c.lattice.voxel_size_um, 25.0);
  EXPECT_EQ(c.lattice.synthetic.size_voxels, (std::array<int, 3>{40, 50, 60}));
  EXPECT_EQ(c.lattice.synthetic.bv_tv, 0.3);
}

TEST(ConfigYaml, ErrorsCarryFileLineColumnKeyValueAndExpectation) {
  const auto lines = errors_of("run:\n  days: ten\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("test.yaml:2:9: run.days: got 'ten', expected a number", 0), 0u)
      << lines[0];
}

TEST(ConfigYaml, ReportsEveryErrorAtOnce) {
  const auto lines = errors_of(R"(
run:
  days: -1
  dt_days: 0
  dayz: 3
lattice:
  source: ct
  synthetic: {size_voxels: [10, 10]}
)");
  EXPECT_EQ(lines.size(), 5u);
  EXPECT_TRUE(any_line_has(lines, "test.yaml:3:9: run.days: got '-1'"));
  EXPECT_TRUE(any_line_has(lines, "run.dt_days: got '0', expected a number in (0, 30]"));
  EXPECT_TRUE(
      any_line_has(lines, "test.yaml:5:3: run.dayz: unknown key; did you mean 'run.days'?"));
  EXPECT_TRUE(any_line_has(lines, "lattice.source: got 'ct', expected one of synthetic|image"));
  EXPECT_TRUE(
      any_line_has(lines, "lattice.synthetic.size_voxels: got 'a list', expected a list of 3"));
}

TEST(ConfigYaml, UnknownSectionSuggestsClosestKey) {
  const auto lines = errors_of("latice:\n  voxel_size_um: 10\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("test.yaml:1:1: latice: unknown key; did you mean 'lattice'?"),
            std::string::npos)
      << lines[0];
}

TEST(ConfigYaml, UnknownKeyWithoutCloseMatchListsChoices) {
  const auto lines = errors_of("run:\n  zzzzzzzzzz: 1\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("expected one of: days, dt_days, seed, threads, output"),
            std::string::npos)
      << lines[0];
}

TEST(ConfigYaml, WrongShapesAreErrorsNotCrashes) {
  EXPECT_TRUE(any_line_has(errors_of("run: 3\n"), "run: got '3', expected a section of keys"));
  EXPECT_TRUE(any_line_has(errors_of("- a\n- b\n"), "expected a YAML map of sections"));
  EXPECT_TRUE(any_line_has(errors_of("run:\n  days: [1, 2]\n"), "got 'a list', expected a number"));
  EXPECT_TRUE(any_line_has(errors_of("run:\n  threads: 2.5\n"), "expected a whole number"));
  EXPECT_TRUE(any_line_has(errors_of("run:\n  days: .inf\n"), "expected a number"));
  EXPECT_TRUE(
      any_line_has(errors_of("run:\n  output: {vtk: 1}\n"), "got '1', expected true or false"));
  EXPECT_TRUE(any_line_has(errors_of("run:\n  seed: -4\n"), "run.seed: got '-4'"));
  EXPECT_TRUE(any_line_has(errors_of("run:\n  days: 1\n  days: 2\n"),
                           "test.yaml:3:3: run.days: duplicate key"));
}

TEST(ConfigYaml, MalformedYamlNamesLineAndColumn) {
  const auto lines = errors_of("run:\n  days: [1, 2\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("test.yaml:", 0), 0u);
  EXPECT_NE(lines[0].find("YAML syntax error"), std::string::npos) << lines[0];
}

TEST(ConfigYaml, DeepNestingIsAnErrorNotAStackOverflow) {
  const std::string deep = "run: " + std::string(20000, '[') + std::string(20000, ']') + "\n";
  EXPECT_FALSE(errors_of(deep).empty());
}

TEST(ConfigYaml, OverridesSetAnyKey) {
  const Config c = load_config_text("run:\n  days: 5\n", "t.yaml",
                                    {"run.days=7", "lattice.synthetic.size_voxels=[32, 33, 34]",
                                     "run.output.directory=elsewhere"});
  EXPECT_EQ(c.run.days, 7.0);
  EXPECT_EQ(c.lattice.synthetic.size_voxels, (std::array<int, 3>{32, 33, 34}));
  EXPECT_EQ(c.run.output.directory, "elsewhere");
}

TEST(ConfigYaml, OverridesReachIntoListElements) {
  const std::string yaml =
      "interventions:\n  - {type: denosumab, start_day: 10, dose_mg: 60}\n"
      "  - {type: estrogen_deficiency, start_day: 5, end_day: 20, severity: 0.5}\n";
  const Config c =
      load_config_text(yaml, "t.yaml",
                       {"interventions[0].dose_mg=120",
                        "interventions[1]={type: glucocorticoid, start_day: 1, end_day: 2}"});
  ASSERT_EQ(c.interventions.size(), 2u);
  EXPECT_EQ(c.interventions[0].dose_mg, 120.0);
  EXPECT_EQ(c.interventions[0].start_day, 10.0);
  EXPECT_EQ(c.interventions[1].end_day, 2.0);
  EXPECT_EQ(c.interventions[1].type, "glucocorticoid");
  EXPECT_EQ(c.interventions[1].severity, 1.0);  // the whole element was replaced
  EXPECT_TRUE(any_line_has(errors_of(yaml, {"interventions[2].dose_mg=1"}),
                           "'interventions[2]' is not an element of a list"));
  EXPECT_TRUE(
      any_line_has(errors_of(yaml, {"interventions[x].dose_mg=1"}), "is not an element of a list"));
  EXPECT_TRUE(any_line_has(errors_of(yaml, {"run[0]=1"}), "is not an element of a list"));
  EXPECT_TRUE(any_line_has(errors_of(yaml, {"interventions[0].dose_mg.x=1"}),
                           "'interventions[0].dose_mg' is a value, not a section"));
}

TEST(ConfigYaml, OverrideErrorsNameTheOverride) {
  auto lines = errors_of("", {"run.dayz=3"});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "--set run.dayz=3: run.dayz: unknown key; did you mean 'run.days'?");
  lines = errors_of("", {"run.days=-2"});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("--set run.days=-2: run.days: got '-2'", 0), 0u) << lines[0];
  EXPECT_TRUE(any_line_has(errors_of("", {"run.days"}), "expected key.path=value"));
  EXPECT_TRUE(any_line_has(errors_of("run:\n  days: 5\n", {"run.days.x=1"}),
                           "'run.days' is a value, not a section"));
}

TEST(ConfigYaml, CrossKeyRulesPointAtTheKey) {
  const auto lines = errors_of("run:\n  days: 1\n  dt_days: 2\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("test.yaml:3:12: run.dt_days: 2 exceeds run.days", 0), 0u) << lines[0];
}

TEST(ConfigYaml, MissingImageFileIsReported) {
  const auto lines =
      errors_of("lattice:\n  source: image\n  image:\n    path: /nonexistent/ct.mhd\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("lattice.image.path: '/nonexistent/ct.mhd' is not a readable file"),
            std::string::npos)
      << lines[0];
}

TEST(ConfigYaml, MissingConfigFileIsAClearError) {
  try {
    load_config("/nonexistent/run.yaml");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/run.yaml: cannot open config file");
  }
}

TEST(ConfigYaml, ImagePathIsRelativeToTheConfigFile) {
  const testing_support::TempDir temp;
  const auto& dir = temp.path;
  std::filesystem::create_directories(dir / "ct");
  std::ofstream(dir / "ct" / "bone.mhd") << "x";
  std::ofstream(dir / "run.yaml") << "lattice:\n  source: image\n  image: {path: ct/bone.mhd}\n";
  const Config c = load_config((dir / "run.yaml").string());
  EXPECT_EQ(std::filesystem::path(c.lattice.image.path), dir / "ct" / "bone.mhd");
}

TEST(ConfigYaml, EffectiveConfigRoundTripsExactly) {
  Config c;
  c.run.days = 0.1 + 0.2;  // not representable in short decimal: must still round-trip
  c.run.seed = 18446744073709551615ull;
  c.lattice.synthetic.size_voxels = {40, 41, 42};
  c.lattice.image.path = "a path: with colon.mhd";
  c.run.output.vtk = true;
  const std::string yaml = config_to_yaml(c);
  const Config back = load_config_text(yaml, "effective.yaml");
  EXPECT_EQ(back.run.days, c.run.days);
  EXPECT_EQ(back.run.seed, c.run.seed);
  EXPECT_EQ(back.lattice.synthetic.size_voxels, c.lattice.synthetic.size_voxels);
  EXPECT_EQ(back.lattice.image.path, c.lattice.image.path);
  EXPECT_TRUE(back.run.output.vtk);
  EXPECT_EQ(config_to_yaml(back), yaml);
}

// Run configs load; sweep files (sweep_*.yaml) load, and so does every run they plan.
TEST(ConfigYaml, ShippedConfigsAreValid) {
  int sweeps = 0;
  for (const auto& entry : std::filesystem::directory_iterator(BONESIM_SOURCE_DIR "/configs")) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    if (!entry.path().filename().string().starts_with("sweep_")) {
      EXPECT_NO_THROW(load_config(entry.path().string()));
      continue;
    }
    ++sweeps;
    try {
      const SweepConfig s = load_sweep_config(entry.path().string());
      const auto runs = plan_sweep(s, 1);
      EXPECT_GE(runs.size(), 4u);
      for (const SweepRun& run : runs)
        EXPECT_NO_THROW(load_config(s.base, run.overrides)) << run.id;
    } catch (const ConfigError& e) {
      ADD_FAILURE() << e.lines.front();
    }
  }
  EXPECT_GE(sweeps, 2);
}

TEST(ConfigYaml, SweepFileErrorsNameLineAndKey) {
  testing_support::TempDir dir;
  auto errors = [&](const std::string& text) {
    std::ofstream(dir.file("s.yaml")) << text;
    try {
      load_sweep_config(dir.file("s.yaml"));
    } catch (const ConfigError& e) {
      return e.lines;
    }
    return std::vector<std::string>{};
  };
  const std::string f = dir.file("s.yaml");
  auto lines =
      errors("base: b.yaml\nparameters:\n  - {key: a, values: [1], count: 3, from: 1, to: 2}\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], f + ":3:5: parameters[0]: give exactly one of: values; from, to and count; "
                          "distribution, low and high");
  lines =
      errors("base: b.yaml\nparameters:\n  - {key: a, distribution: normal, low: 1, high: 2}\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind(f + ":3:28: parameters[0].distribution: got 'normal', expected one of "
                               "uniform|log_uniform",
                           0),
            0u)
      << lines[0];
  EXPECT_TRUE(any_line_has(
      errors("base: b.yaml\nparameters:\n  - {key: a, distribution: uniform, low: 1, high: 2}\n"),
      "samples: 0: sampled parameters need samples >= 1"));
  EXPECT_TRUE(any_line_has(errors("base: b.yaml\ncombine: zip\nparameters:\n  - {key: a, values: "
                                  "[1, 2]}\n  - {key: b, values: [1]}\n"),
                           "1 values, but the first zipped parameter has 2"));
  EXPECT_TRUE(any_line_has(errors("parameters: []\n"), "base: missing"));
  EXPECT_TRUE(any_line_has(errors("base: b.yaml\nmetric: []\n"), "did you mean 'metrics'?"));
  EXPECT_TRUE(any_line_has(errors("base: b.yaml\nmetrics:\n  - {name: m, column: bv_tv}\n  - "
                                  "{name: m, column: day}\n"),
                           "'m' is used twice"));
}

TEST(ConfigYaml, ListsOfSectionsReadEachItemWithItsOwnKeys) {
  const Config c = load_config_text(R"(
mechanics:
  enabled: true
  load_cases:
    - {axis: x, apparent_strain: -0.002}
    - {axis: z, lateral: confined, weight: 0.5}
interventions:
  - {type: load, start_day: 365, end_day: 545, load_factor: 0.1}
)",
                                    "lists.yaml");
  ASSERT_EQ(c.mechanics.load_cases.size(), 2u);
  EXPECT_EQ(c.mechanics.load_cases[0].axis, "x");
  EXPECT_EQ(c.mechanics.load_cases[0].apparent_strain, -0.002);
  EXPECT_EQ(c.mechanics.load_cases[0].lateral, "free");  // the item's default
  EXPECT_EQ(c.mechanics.load_cases[1].lateral, "confined");
  EXPECT_EQ(c.mechanics.load_cases[1].weight, 0.5);
  ASSERT_EQ(c.interventions.size(), 1u);
  EXPECT_EQ(c.interventions[0].end_day, 545.0);
  EXPECT_EQ(load_config_text(config_to_yaml(c), "back.yaml").mechanics.load_cases.size(), 2u);
}

TEST(ConfigYaml, ListItemErrorsNameTheItem) {
  const auto lines = errors_of(R"(
mechanics:
  enabled: true
  load_cases:
    - {axis: w}
    - {axs: x}
    - 3
interventions: {type: load}
)");
  EXPECT_TRUE(any_line_has(lines, "mechanics.load_cases[0].axis")) << lines.front();
  EXPECT_TRUE(any_line_has(lines, "mechanics.load_cases[1].axs: unknown key; did you mean"));
  EXPECT_TRUE(any_line_has(lines, "mechanics.load_cases[2]: got '3', expected a section"));
  EXPECT_TRUE(any_line_has(lines, "interventions: got"));
}

TEST(ConfigYaml, InterventionsAreCheckedAgainstTheMechanics) {
  const auto lines = errors_of(R"(
interventions:
  - {type: load, start_day: 10, end_day: 5, load_factor: 0.2}
)");
  EXPECT_TRUE(any_line_has(lines, "test.yaml:3")) << lines.front();
  EXPECT_TRUE(any_line_has(lines, "interventions[0].end_day"));
  EXPECT_TRUE(any_line_has(lines, "interventions[0].type"));
  EXPECT_TRUE(any_line_has(lines, "mechanics.enabled: true"));
}

TEST(ConfigYaml, DrugInjectionsNeedADose) {
  const auto no_dose = errors_of(R"(
interventions:
  - {type: denosumab, start_day: 10, doses: 2}
)");
  EXPECT_TRUE(any_line_has(no_dose, "interventions[0].dose_mg")) << no_dose.front();
  EXPECT_FALSE(any_line_has(no_dose, "end_day"));  // not used by injections
  const auto none = errors_of(R"(
interventions:
  - {type: denosumab, start_day: 10, dose_mg: 60, doses: 0}
)");
  EXPECT_TRUE(any_line_has(none, "interventions[0].doses")) << none.front();
}

}  // namespace
}  // namespace bonesim
