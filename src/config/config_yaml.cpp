#include "bonesim/config/config_yaml.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <type_traits>
#include <vector>

#include "bonesim/config/validate.hpp"
#include "bonesim/core/error.hpp"

namespace bonesim {

namespace {

// Edit distance for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest(std::string_view key, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, key.size() / 3) + 1;
  for (const auto& k : known) {
    const std::size_t d = edit_distance(key, k);
    if (d < best_d) {
      best_d = d;
      best = k;
    }
  }
  return best;
}

// Collects problems and says where each one is: file:line:col, or the --set
// override that introduced the key.
class Diagnostics {
 public:
  Diagnostics(std::string file, std::map<std::string, std::string> overrides)
      : file_(std::move(file)), overrides_(std::move(overrides)) {}

  void add(const std::string& key, const YAML::Mark& mark, const std::string& msg) {
    lines_.push_back(
        fmt::format("{}: {}{}{}", where(key, mark), key, key.empty() ? "" : ": ", msg));
  }
  std::string where(const std::string& key, const YAML::Mark& mark) const {
    for (const auto& [path, text] : overrides_) {
      if (key == path || key.starts_with(path + ".")) return fmt::format("--set {}", text);
    }
    if (mark.is_null()) return file_;
    return fmt::format("{}:{}:{}", file_, mark.line + 1, mark.column + 1);
  }
  std::vector<std::string>& lines() { return lines_; }
  std::map<std::string, YAML::Mark>& marks() { return marks_; }

 private:
  std::string file_;
  std::map<std::string, std::string> overrides_;  // key path -> "key=value" as typed
  std::map<std::string, YAML::Mark> marks_;       // key path -> where its value is
  std::vector<std::string> lines_;
};

std::string scalar_text(const YAML::Node& n) {
  if (n.IsScalar()) return n.Scalar();
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a section";
  return "nothing";
}

std::string range_text(const KeySpec& s) {
  const bool has_min = std::isfinite(s.min), has_max = std::isfinite(s.max);
  if (has_min && has_max) return fmt::format(" in {}{}, {}]", s.min_open ? "(" : "[", s.min, s.max);
  if (has_min) return fmt::format(" {} {}", s.min_open ? ">" : ">=", s.min);
  if (has_max) return fmt::format(" <= {}", s.max);
  return "";
}

bool in_range(double v, const KeySpec& s) {
  return (s.min_open ? v > s.min : v >= s.min) && v <= s.max;
}

// Strict whole-string number parsing (YAML's own conversions accept too much).
template <class T>
bool parse_number(std::string text, T& out) {
  if (!text.empty() && text[0] == '+') text.erase(0, 1);
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  if (ec != std::errc() || ptr != end || text.empty()) return false;
  if constexpr (std::is_floating_point_v<T>) return std::isfinite(out);
  return true;
}

// Reads one YAML map into a config struct through its visit() list.
class Reader {
 public:
  Reader(const YAML::Node& node, std::string prefix, Diagnostics& diag)
      : node_(node), prefix_(std::move(prefix)), diag_(diag) {
    if (!node_.IsMap()) return;
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
      if (entries_.count(key)) {
        diag_.add(path(key), it->first.Mark(), "duplicate key; each key may appear once");
        continue;
      }
      entries_.emplace(key, std::make_pair(it->first, it->second));
    }
  }

  template <class T>
  void value(std::string_view key, T& field, const KeySpec& spec) {
    known_.emplace_back(key);
    const auto it = entries_.find(std::string(key));
    if (it == entries_.end()) return;
    const YAML::Node& n = it->second.second;
    diag_.marks()[path(key)] = n.Mark();
    convert(path(key), n, field, spec);
  }

  template <class S>
  void section(std::string_view key, S& sub) {
    known_.emplace_back(key);
    const auto it = entries_.find(std::string(key));
    if (it == entries_.end()) return;
    const YAML::Node& n = it->second.second;
    diag_.marks()[path(key)] = n.Mark();
    if (n.IsNull()) return;  // "section:" with nothing under it keeps the defaults
    if (!n.IsMap()) {
      diag_.add(path(key), n.Mark(),
                fmt::format("got '{}', expected a section of keys", scalar_text(n)));
      return;
    }
    Reader r(n, path(key) + ".", diag_);
    sub.visit(r);
    r.report_unknown();
  }

  // A YAML sequence of sections, each read like `section` into a fresh S{}; a present
  // key replaces the default list (an empty sequence empties it).
  template <class S>
  void list(std::string_view key, std::vector<S>& items, const KeySpec& spec) {
    known_.emplace_back(key);
    const auto it = entries_.find(std::string(key));
    if (it == entries_.end()) return;
    const YAML::Node& n = it->second.second;
    diag_.marks()[path(key)] = n.Mark();
    if (!n.IsSequence()) {
      diag_.add(
          path(key), n.Mark(),
          fmt::format("got '{}', expected a list of sections ({})", scalar_text(n), spec.doc));
      return;
    }
    items.clear();
    for (std::size_t i = 0; i < n.size(); ++i) {
      const std::string item = fmt::format("{}[{}]", path(key), i);
      diag_.marks()[item] = n[i].Mark();
      items.emplace_back();
      if (!n[i].IsMap()) {
        diag_.add(item, n[i].Mark(),
                  fmt::format("got '{}', expected a section of keys", scalar_text(n[i])));
        continue;
      }
      Reader r(n[i], item + ".", diag_);
      items.back().visit(r);
      r.report_unknown();
    }
  }

  void report_unknown() {
    for (const auto& [key, kv] : entries_) {
      if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
      const std::string guess = closest(key, known_);
      diag_.add(path(key), kv.first.Mark(),
                guess.empty()
                    ? fmt::format("unknown key; expected one of: {}", fmt::join(known_, ", "))
                    : fmt::format("unknown key; did you mean '{}'?", path(guess)));
    }
  }

 private:
  std::string path(std::string_view key) const { return prefix_ + std::string(key); }

  void fail(const std::string& key, const YAML::Node& n, const std::string& expected) {
    diag_.add(key, n.Mark(), fmt::format("got '{}', expected {}", scalar_text(n), expected));
  }

  template <class T>
  void convert(const std::string& key, const YAML::Node& n, T& field, const KeySpec& spec) {
    if constexpr (std::is_same_v<T, std::string>) {
      const std::string expected =
          spec.choices.empty() ? std::string("text") : fmt::format("one of {}", spec.choices);
      if (!n.IsScalar()) return fail(key, n, expected);
      if (!spec.choices.empty()) {
        bool ok = false;
        std::string_view rest = spec.choices;
        while (!rest.empty()) {
          const auto bar = rest.find('|');
          ok = ok || rest.substr(0, bar) == n.Scalar();
          rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
        }
        if (!ok) return fail(key, n, expected);
      }
      field = n.Scalar();
    } else if constexpr (std::is_same_v<T, bool>) {
      if (!n.IsScalar() || (n.Scalar() != "true" && n.Scalar() != "false")) {
        return fail(key, n, fmt::format("true or false ({})", spec.doc));
      }
      field = n.Scalar() == "true";
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      // A list of YAML values, each kept as YAML text (a scalar as written, anything
      // else in flow style), e.g. the values of a sweep parameter.
      if (!n.IsSequence()) return fail(key, n, fmt::format("a list ({})", spec.doc));
      T v;
      for (const YAML::Node& item : n) {
        if (item.IsScalar()) {
          v.push_back(item.Scalar());
          continue;
        }
        YAML::Emitter out;
        out << YAML::Flow << item;
        v.push_back(out.c_str());
      }
      field = std::move(v);
    } else if constexpr (std::is_arithmetic_v<T>) {
      T v{};
      const char* kind = std::is_floating_point_v<T> ? "a number" : "a whole number";
      if (!n.IsScalar() || !parse_number(n.Scalar(), v) || !in_range(double(v), spec)) {
        return fail(key, n, fmt::format("{}{} ({})", kind, range_text(spec), spec.doc));
      }
      field = v;
    } else {  // std::array of numbers
      using E = typename T::value_type;
      const std::string expected = fmt::format("a list of {} whole numbers{} ({})", field.size(),
                                               range_text(spec), spec.doc);
      if (!n.IsSequence() || n.size() != field.size()) return fail(key, n, expected);
      T v{};
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!n[i].IsScalar() || !parse_number(n[i].Scalar(), v[i]) ||
            !in_range(double(v[i]), spec)) {
          return fail(key, n[i], expected);
        }
      }
      field = v;
      static_assert(std::is_arithmetic_v<E>);
    }
  }

  YAML::Node node_;
  std::string prefix_;
  Diagnostics& diag_;
  std::map<std::string, std::pair<YAML::Node, YAML::Node>> entries_;  // key -> (key, value)
  std::vector<std::string> known_;
};

// Writes a config struct through its visit() list.
class Writer {
 public:
  explicit Writer(YAML::Emitter& out) : out_(out) {}

  template <class T>
  void value(std::string_view key, const T& field, const KeySpec& spec) {
    out_ << YAML::Key << std::string(key) << YAML::Value;
    if constexpr (std::is_same_v<T, std::string>) {
      out_ << field;
    } else if constexpr (std::is_arithmetic_v<T>) {
      out_ << fmt::format("{}", field);  // shortest text that reads back to the same value
    } else {
      out_ << YAML::Flow << YAML::BeginSeq;
      for (const auto& e : field) out_ << fmt::format("{}", e);
      out_ << YAML::EndSeq;
    }
    if (!spec.doc.empty()) out_ << YAML::Comment(std::string(spec.doc));
  }

  template <class S>
  void section(std::string_view key, S& sub) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
    sub.visit(*this);
    out_ << YAML::EndMap;
  }

  template <class S>
  void list(std::string_view key, std::vector<S>& items, const KeySpec& spec) {
    out_ << YAML::Key << std::string(key) << YAML::Value;
    if (!spec.doc.empty()) out_ << YAML::Comment(std::string(spec.doc));
    out_ << YAML::BeginSeq;
    for (S& item : items) {
      out_ << YAML::BeginMap;
      item.visit(*this);
      out_ << YAML::EndMap;
    }
    out_ << YAML::EndSeq;
  }

 private:
  YAML::Emitter& out_;
};

// Applies "a.b.c=value" overrides onto the parsed tree, creating sections as needed.
std::map<std::string, std::string> apply_overrides(YAML::Node& root,
                                                   const std::vector<std::string>& overrides,
                                                   std::vector<std::string>& errors) {
  std::map<std::string, std::string> applied;
  for (const std::string& o : overrides) {
    const auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0) {
      errors.push_back(fmt::format("--set {}: expected key.path=value", o));
      continue;
    }
    const std::string key = o.substr(0, eq);
    YAML::Node value;
    try {
      value = YAML::Load(o.substr(eq + 1));
    } catch (const YAML::Exception& e) {
      errors.push_back(fmt::format("--set {}: value is not valid YAML: {}", o, e.msg));
      continue;
    }
    if (!root.IsMap()) root = YAML::Node(YAML::NodeType::Map);
    YAML::Node cur = root;
    std::string walked;
    std::size_t start = 0;
    bool ok = true;
    while (true) {
      const auto dot = key.find('.', start);
      const std::string part =
          key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      walked += (walked.empty() ? "" : ".") + part;
      if (part.empty()) {
        errors.push_back(fmt::format("--set {}: empty key in '{}'", o, key));
        ok = false;
        break;
      }
      // "name[i]": element i of an existing list (interventions[0].dose_mg).
      if (const auto open = part.find('['); open != std::string::npos) {
        const std::string name = part.substr(0, open);
        std::size_t index = 0, used = 0;
        const std::string digits = part.substr(open + 1, part.size() - open - 2);
        bool number = part.back() == ']' && !digits.empty();
        try {
          if (number) index = std::stoul(digits, &used);
        } catch (const std::exception&) {
          number = false;
        }
        const YAML::Node list = name.empty() ? YAML::Node() : cur[name];
        if (!number || used != digits.size() || !list.IsSequence() || index >= list.size()) {
          errors.push_back(fmt::format(
              "--set {}: '{}' is not an element of a list (expected name[i], i below the "
              "list's length)",
              o, walked));
          ok = false;
          break;
        }
        if (dot == std::string::npos) {
          YAML::Node element = list[index];
          element = value;
          break;
        }
        YAML::Node next = list[index];
        if (!next.IsMap()) {
          errors.push_back(fmt::format("--set {}: '{}' is a value, not a section", o, walked));
          ok = false;
          break;
        }
        cur.reset(next);
        start = dot + 1;
        continue;
      }
      if (dot == std::string::npos) {
        cur[part] = value;
        break;
      }
      YAML::Node next = cur[part];
      if (next.IsNull() || !next.IsDefined()) {
        cur[part] = YAML::Node(YAML::NodeType::Map);
        next.reset(cur[part]);
      } else if (!next.IsMap()) {
        errors.push_back(fmt::format("--set {}: '{}' is a value, not a section", o, walked));
        ok = false;
        break;
      }
      cur.reset(next);
      start = dot + 1;
    }
    if (ok) applied[key] = o;
  }
  return applied;
}

}  // namespace

Config load_config_text(std::string_view yaml, std::string_view name,
                        const std::vector<std::string>& overrides, const std::string& base_dir) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    throw ConfigError({fmt::format("{}:{}:{}: YAML syntax error: {}", name, e.mark.line + 1,
                                   e.mark.column + 1, e.msg)});
  } catch (const YAML::Exception& e) {
    throw ConfigError({fmt::format("{}: cannot parse YAML: {}", name, e.msg)});
  }
  if (!root.IsNull() && !root.IsMap()) {
    throw ConfigError(
        {fmt::format("{}:{}:{}: got {}, expected a YAML map of sections (run, lattice)", name,
                     root.Mark().line + 1, root.Mark().column + 1, scalar_text(root))});
  }
  std::vector<std::string> override_errors;
  auto applied = apply_overrides(root, overrides, override_errors);
  const bool path_from_file = !applied.count("lattice.image.path");
  Diagnostics diag(std::string(name), std::move(applied));
  for (auto& e : override_errors) diag.lines().push_back(std::move(e));

  Config cfg;
  try {
    Reader r(root, "", diag);
    cfg.visit(r);
    r.report_unknown();
  } catch (const YAML::Exception& e) {  // e.g. recursion limits on hostile input
    diag.add("", e.mark, fmt::format("cannot read YAML: {}", e.msg));
  }
  // Paths in a config file are relative to that file; paths given with --set are
  // relative to the working directory, as on any command line.
  std::filesystem::path image(cfg.lattice.image.path);
  if (path_from_file && !base_dir.empty() && !image.empty() && image.is_relative()) {
    cfg.lattice.image.path = (std::filesystem::path(base_dir) / image).string();
  }
  if (diag.lines().empty()) {
    for (const ConfigIssue& issue : validate_config(cfg)) {
      const auto m = diag.marks().find(issue.key);
      diag.add(issue.key, m == diag.marks().end() ? YAML::Mark::null_mark() : m->second,
               issue.message);
    }
  }
  if (!diag.lines().empty()) throw ConfigError(std::move(diag.lines()));
  return cfg;
}

SweepConfig load_sweep_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({fmt::format("{}: cannot open sweep file", path)});
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::ParserException& e) {
    throw ConfigError({fmt::format("{}:{}:{}: YAML syntax error: {}", path, e.mark.line + 1,
                                   e.mark.column + 1, e.msg)});
  } catch (const YAML::Exception& e) {
    throw ConfigError({fmt::format("{}: cannot parse YAML: {}", path, e.msg)});
  }
  if (!root.IsMap()) {
    throw ConfigError({fmt::format("{}: expected a YAML map (base, parameters, metrics)", path)});
  }
  Diagnostics diag(path, {});
  SweepConfig cfg;
  try {
    Reader r(root, "", diag);
    cfg.visit(r);
    r.report_unknown();
  } catch (const YAML::Exception& e) {
    diag.add("", e.mark, fmt::format("cannot read YAML: {}", e.msg));
  }
  if (diag.lines().empty()) {
    for (const ConfigIssue& issue : sweep_config_problems(cfg)) {
      const auto m = diag.marks().find(issue.key);
      diag.add(issue.key, m == diag.marks().end() ? YAML::Mark::null_mark() : m->second,
               issue.message);
    }
  }
  if (!diag.lines().empty()) throw ConfigError(std::move(diag.lines()));
  if (!cfg.base.empty() && std::filesystem::path(cfg.base).is_relative()) {
    cfg.base = (std::filesystem::path(path).parent_path() / cfg.base).string();
  }
  return cfg;
}

Config load_config(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({fmt::format("{}: cannot open config file", path)});
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError({fmt::format("{}: cannot read config file", path)});
  return load_config_text(text.str(), path, overrides,
                          std::filesystem::path(path).parent_path().string());
}

std::string config_to_yaml(const Config& cfg) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  Writer w(out);
  Config copy = cfg;  // visit() is non-const by design (one list for reading and writing)
  copy.visit(w);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace bonesim
