#include "bonesim/output/provenance.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <chrono>

#include "bonesim/core/version.hpp"

namespace bonesim {

namespace {
std::string host_name() {
  char buf[256] = {};
  return ::gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : std::string("unknown");
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(now));
}
}  // namespace

std::string provenance_yaml(const Config& cfg, const Provenance& p) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "program" << YAML::Value << "bonesim";
  out << YAML::Key << "version" << YAML::Value << version();
  out << YAML::Key << "git_commit" << YAML::Value << git_commit();
  out << YAML::Key << "seed" << YAML::Value << std::to_string(cfg.run.seed);
  out << YAML::Key << "threads" << YAML::Value << p.threads;
  out << YAML::Key << "host" << YAML::Value << host_name();
  out << YAML::Key << "started_utc" << YAML::Value << utc_now();
  out << YAML::Key << "config_file" << YAML::Value << p.config_file;
  out << YAML::Key << "command_line" << YAML::Value << p.command_line;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace bonesim
