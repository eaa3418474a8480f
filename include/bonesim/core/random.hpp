// Counter-based random numbers (Random123 Philox4x32-10, Salmon et al. 2011).
//
// Every draw is a pure function of (seed, stream id, step, purpose): no generator
// state to carry, split or checkpoint, and the same numbers at any thread count.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>

namespace bonesim {

// What a draw is for; keeps streams of different rules independent.
// Values stay below 2^16: the upper half of the counter word numbers the draws of one
// purpose (`draw` below).
enum class Purpose : std::uint32_t {
  kLatticeGeometry = 1,
  kOsteocyteSeeding = 2,
  kTCellSeeding = 3,
  kTCellMove = 4,
  kTCellSwitch = 5,
  kPrecursorArrival = 6,
  kPrecursorFate = 7,
  kOsteoclastFate = 8,
  kOsteoclastTarget = 9,
  kOsteoblastRecruitment = 10,
  kOsteoblastFate = 11,
  kMineralAge = 12,
  kOsteoblastModelling = 13,
  kSweepSample = 14,
};

// Four independent uniform numbers in (0, 1) for the given key.
std::array<double, 4> uniform4(std::uint64_t seed, std::uint64_t id, std::uint32_t step,
                               Purpose purpose);

// The draw-th set of four for one purpose (draw < 2^16), when a rule needs more than four.
inline std::array<double, 4> uniform4(std::uint64_t seed, std::uint64_t id, std::uint32_t step,
                                      Purpose purpose, std::uint32_t draw) {
  return uniform4(seed, id, step, Purpose(std::uint32_t(purpose) | (draw << 16)));
}

// One uniform number in (0, 1).
inline double uniform01(std::uint64_t seed, std::uint64_t id, std::uint32_t step, Purpose purpose) {
  return uniform4(seed, id, step, purpose)[0];
}

}  // namespace bonesim
