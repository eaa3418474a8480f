// libFuzzer target for the config loader: any input must either load or raise
// bonesim::ConfigError. Anything else (a crash, a sanitizer report, another
// exception type escaping) is a bug. Run with tools/fuzz_config.sh.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bonesim/config/config_yaml.hpp"
#include "bonesim/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const bonesim::Config cfg = bonesim::load_config_text(text, "fuzz.yaml");
    // Whatever loads must write out and load back to the same effective config.
    const std::string yaml = bonesim::config_to_yaml(cfg);
    if (bonesim::config_to_yaml(bonesim::load_config_text(yaml, "effective.yaml")) != yaml) {
      __builtin_trap();
    }
  } catch (const bonesim::ConfigError&) {
  }
  return 0;
}
