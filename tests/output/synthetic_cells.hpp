// A stand-in cell population for output tests and benchmarks, until the model has
// real ones: the columns every population has (id, position_um) plus a state, an age
// and a number of float variables, listed through the visit_columns protocol
// (sim/state.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "bonesim/output/snapshot_info.hpp"
#include "bonesim/sim/state.hpp"

namespace bonesim::testing_support {

struct SyntheticCells {
  std::vector<std::uint64_t> id;
  std::vector<std::array<double, 3>> position_um;
  std::vector<std::int32_t> state;
  std::vector<float> age_days;                // listed only when with_age
  std::vector<std::vector<float>> variables;  // "variable_0", "variable_1", ...
  bool with_age = true;
};

template <class Pop, class C>
requires std::is_same_v<std::remove_const_t<Pop>, SyntheticCells>
void visit_columns(Pop& p, C& c) {
  static const char* const kNames[] = {"variable_0", "variable_1", "variable_2", "variable_3",
                                       "variable_4", "variable_5", "variable_6", "variable_7"};
  c.column("id", p.id, {"1", "cell id, unique within the run"});
  c.column("position_um", p.position_um, {"um", "position in lattice coordinates"});
  c.column("state", p.state, {"1", "life-cycle state"});
  if (p.with_age) c.column("age_days", p.age_days, {"d", "days since the cell was born"});
  for (std::size_t v = 0; v < p.variables.size() && v < 8; ++v) {
    c.column(kNames[v], p.variables[v], {"1", "a synthetic per-cell variable"});
  }
}

// n cells at deterministic pseudo-random positions inside the lattice box.
inline SyntheticCells make_synthetic_cells(std::size_t n, const SnapshotGeometry& g,
                                           std::uint64_t seed, int variables = 4) {
  SyntheticCells c;
  c.variables.resize(std::size_t(variables));
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  auto next = [&x] {  // splitmix64: reproducible, no <random> distribution differences
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return double((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  };
  for (std::size_t i = 0; i < n; ++i) {
    c.id.push_back(1000 + i);
    std::array<double, 3> p{};
    for (int a = 0; a < 3; ++a) {
      p[std::size_t(a)] =
          g.origin_um[std::size_t(a)] + next() * g.grid_size[std::size_t(a)] * g.voxel_size_um;
    }
    c.position_um.push_back(p);
    c.state.push_back(std::int32_t(i % 4));
    c.age_days.push_back(float(next() * 30.0));
    for (auto& v : c.variables) v.push_back(float(next()));
  }
  return c;
}

}  // namespace bonesim::testing_support
