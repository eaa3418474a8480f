#include "bonesim/core/error.hpp"

namespace bonesim {

namespace {
std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) {
    if (!s.empty()) s += '\n';
    s += l;
  }
  return s;
}
}  // namespace

ConfigError::ConfigError(std::vector<std::string> l) : Error(join(l)), lines(std::move(l)) {}

}  // namespace bonesim
