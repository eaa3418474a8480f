#include "bonesim/sweep/summary.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <limits>

#include "bonesim/output/atomic_file.hpp"
#include "bonesim/output/run_index.hpp"
#include "bonesim/output/table_h5.hpp"
#include "bonesim/sweep/sensitivity.hpp"

namespace fs = std::filesystem;

namespace bonesim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A CSV field: quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + "\"";
}

std::string number(double v) {
  return std::isnan(v) ? "nan" : fmt::format("{:.10g}", v);
}

}  // namespace

std::string text_hash(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a 64 offset basis
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

fs::path run_dir(const fs::path& sweep_dir, const SweepRun& run) {
  return sweep_dir / "runs" / run.id;
}

void write_run_record(const fs::path& dir, const RunRecord& r) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "status" << YAML::Value << r.status << YAML::Key
      << "exit_code" << YAML::Value << r.exit_code << YAML::Key << "wall_s" << YAML::Value
      << r.wall_s << YAML::Key << "config_hash" << YAML::Value << r.config_hash << YAML::Key
      << "error" << YAML::Value << r.error << YAML::EndMap;
  write_file_atomically(dir / "sweep_run.yaml", std::string(out.c_str()) + "\n");
}

RunRecord read_run_record(const fs::path& dir) {
  RunRecord r;
  try {
    const YAML::Node n = YAML::LoadFile((dir / "sweep_run.yaml").string());
    r.status = n["status"].as<std::string>();
    r.exit_code = n["exit_code"].as<int>();
    r.wall_s = n["wall_s"].as<double>();
    r.config_hash = n["config_hash"].as<std::string>();
    r.error = n["error"] ? n["error"].as<std::string>() : "";
  } catch (const std::exception&) {
    return RunRecord{};
  }
  return r;
}

double reduce_metric(const SweepMetric& m, const std::vector<std::string>& columns,
                     const std::vector<std::vector<double>>& rows) {
  std::size_t c = 0;
  while (c < columns.size() && columns[c] != m.column) ++c;
  if (c == columns.size() || rows.empty()) return kNaN;
  if (m.reduce == "last") return rows.back()[c];
  if (m.reduce == "at") {
    double v = kNaN;
    for (const auto& row : rows) {
      if (row[0] <= m.day) v = row[c];  // column 0 is the day
    }
    return v;
  }
  double acc = m.reduce == "min" ? INFINITY : m.reduce == "max" ? -INFINITY : 0.0;
  std::size_t n = 0;
  for (const auto& row : rows) {
    if (row[0] < m.from_day || row[0] > m.to_day || std::isnan(row[c])) continue;
    ++n;
    if (m.reduce == "min")
      acc = std::min(acc, row[c]);
    else if (m.reduce == "max")
      acc = std::max(acc, row[c]);
    else
      acc += row[c];
  }
  if (n == 0) return kNaN;
  return m.reduce == "mean" ? acc / double(n) : acc;
}

std::size_t write_sweep_summary(const fs::path& sweep_dir, const SweepConfig& cfg,
                                const std::vector<SweepRun>& runs) {
  const std::vector<std::string> columns = RunIndex::metrics_columns();
  const std::size_t k = cfg.parameters.size(), nm = cfg.metrics.size();
  std::vector<RunRecord> records;
  std::vector<std::vector<double>> metric(nm, std::vector<double>(runs.size(), kNaN));
  std::size_t ok = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const fs::path dir = run_dir(sweep_dir, runs[i]);
    records.push_back(read_run_record(dir));
    if (records.back().status != "ok") continue;
    ++ok;
    std::vector<std::vector<double>> rows;
    try {
      rows = RunIndex::scan(dir).metrics();
    } catch (const std::exception& e) {
      records.back().status = "failed";
      records.back().error = e.what();
      continue;
    }
    for (std::size_t j = 0; j < nm; ++j)
      metric[j][i] = reduce_metric(cfg.metrics[j], columns, rows);
  }
  // summary.csv
  std::string csv = "run_id,status,exit_code,wall_s,seed";
  for (const auto& p : cfg.parameters) csv += "," + csv_field(p.key);
  for (const auto& m : cfg.metrics) csv += "," + csv_field(m.name);
  csv += ",error\n";
  std::vector<double> seeds;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const SweepRun& run = runs[i];
    const RunRecord& r = records[i];
    const std::string& seed_override = run.overrides.back();  // "run.seed=N", plan_sweep
    seeds.push_back(
        std::strtod(seed_override.substr(seed_override.find('=') + 1).c_str(), nullptr));
    csv += fmt::format("{},{},{},{:.3f},{}", run.id, r.status, r.exit_code, r.wall_s,
                       number(seeds.back()));
    for (const std::string& v : run.values) csv += "," + csv_field(v);
    for (std::size_t j = 0; j < nm; ++j) csv += "," + number(metric[j][i]);
    csv += "," + csv_field(r.error) + "\n";
  }
  write_file_atomically(sweep_dir / "summary.csv", csv);
  // sensitivity.csv: PRCC of every metric with every numeric parameter.
  std::vector<std::vector<double>> params(k);
  for (std::size_t j = 0; j < k; ++j) {
    for (const SweepRun& run : runs) params[j].push_back(run.numbers[j]);
  }
  std::vector<TableColumn> sens{{"metric", {}, {}},
                                {"parameter", {}, {}},
                                {"prcc", {}, {}},
                                {"p_value", {}, {}},
                                {"runs", {}, {}}};
  std::string sens_csv = "metric,parameter,prcc,p_value,runs\n";
  for (std::size_t j = 0; j < nm; ++j) {
    const std::vector<Prcc> prcc = partial_rank_correlations(params, metric[j]);
    for (std::size_t p = 0; p < k; ++p) {
      sens_csv += fmt::format("{},{},{},{},{}\n", csv_field(cfg.metrics[j].name),
                              csv_field(cfg.parameters[p].key), number(prcc[p].coefficient),
                              number(prcc[p].p_value), prcc[p].n);
      sens[0].text.push_back(cfg.metrics[j].name);
      sens[1].text.push_back(cfg.parameters[p].key);
      sens[2].numbers.push_back(prcc[p].coefficient);
      sens[3].numbers.push_back(prcc[p].p_value);
      sens[4].numbers.push_back(prcc[p].n);
    }
  }
  write_file_atomically(sweep_dir / "sensitivity.csv", sens_csv);
  // summary.h5: /runs (one dataset per summary.csv column), /sensitivity.
  std::vector<TableColumn> table;
  auto text_column = [&](const std::string& name, auto get) {
    TableColumn c{name, {}, {}};
    for (std::size_t i = 0; i < runs.size(); ++i) c.text.push_back(get(i));
    table.push_back(std::move(c));
  };
  auto number_column = [&](const std::string& name, auto get) {
    TableColumn c{name, {}, {}};
    for (std::size_t i = 0; i < runs.size(); ++i) c.numbers.push_back(get(i));
    table.push_back(std::move(c));
  };
  text_column("run_id", [&](std::size_t i) { return runs[i].id; });
  text_column("status", [&](std::size_t i) { return records[i].status; });
  number_column("exit_code", [&](std::size_t i) { return double(records[i].exit_code); });
  number_column("wall_s", [&](std::size_t i) { return records[i].wall_s; });
  number_column("seed", [&](std::size_t i) { return seeds[i]; });
  for (std::size_t j = 0; j < k; ++j) {
    // HDF5 link names may not hold '/'; keys never do. Numeric parameters as numbers.
    bool numeric = true;
    for (const SweepRun& run : runs) numeric = numeric && !std::isnan(run.numbers[j]);
    if (numeric) {
      number_column(cfg.parameters[j].key, [&](std::size_t i) { return runs[i].numbers[j]; });
    } else {
      text_column(cfg.parameters[j].key, [&](std::size_t i) { return runs[i].values[j]; });
    }
  }
  for (std::size_t j = 0; j < nm; ++j) {
    number_column(cfg.metrics[j].name, [&](std::size_t i) { return metric[j][i]; });
  }
  text_column("error", [&](std::size_t i) { return records[i].error; });
  write_table_h5(sweep_dir / "summary.h5", {{"runs", table}, {"sensitivity", sens}});
  return ok;
}

}  // namespace bonesim
