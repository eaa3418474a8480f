// What every cell rule shares: the clock of the step, event probabilities, and the
// neighbourhood queries on the lattice (docs/MODEL.md, "Cells").
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "bonesim/cells/populations.hpp"
#include "bonesim/core/random.hpp"
#include "bonesim/fields/signalling.hpp"

namespace bonesim {

// The step being taken: its random key and its days.
struct StepClock {
  std::uint64_t seed = 1;
  std::uint32_t step = 0;  // steps completed before this one
  double day = 0;          // at the start of the step
  double dt = 0.25;        // days
  double day_after() const { return day + dt; }
};

// Probability that an event of constant rate (1/day) happens within dt days.
inline double chance(double rate_per_day, double dt) {
  return -std::expm1(-rate_per_day * dt);
}

// A Poisson-distributed count with the given mean from the counter-based stream
// (seed, id, step, purpose): inversion by sequential search below a mean of 50, the
// rounded normal approximation above it (relative error of the variance < 1 %).
int poisson(double mean, std::uint64_t seed, std::uint64_t id, std::uint32_t step, Purpose purpose);

// A unit vector uniform on the sphere from two uniforms.
Position random_direction(double u1, double u2);

inline constexpr std::array<std::array<int, 3>, 6> kFaceOffsets{
    {{-1, 0, 0}, {1, 0, 0}, {0, -1, 0}, {0, 1, 0}, {0, 0, -1}, {0, 0, 1}}};

using Voxel = std::array<int, 3>;

inline bool inside(const GridShape& g, const Voxel& v) {
  return v[0] >= 0 && v[1] >= 0 && v[2] >= 0 && v[0] < g.nx && v[1] < g.ny && v[2] < g.nz;
}
inline Voxel offset(const Voxel& v, const std::array<int, 3>& d) {
  return {v[0] + d[0], v[1] + d[1], v[2] + d[2]};
}
// Row-major index without padding: the stable random-stream id of a voxel.
inline std::uint64_t voxel_key(const GridShape& g, const Voxel& v) {
  return (std::uint64_t(v[2]) * std::uint64_t(g.ny) + std::uint64_t(v[1])) * std::uint64_t(g.nx) +
         std::uint64_t(v[0]);
}

inline bool bone_at(const BoneLattice& l, const Voxel& v) {
  return is_bone(l.bone(v[0], v[1], v[2]));
}
// Matrix (mineralised or not) fills most of the voxel: a surface for osteoblasts.
inline bool matrix_at(const BoneLattice& l, const Voxel& v) {
  return l.bone(v[0], v[1], v[2]) + l.osteoid(v[0], v[1], v[2]) >= kBoneThreshold;
}

// Number of face neighbours inside the grid for which pred(neighbour) holds.
template <class Pred>
int count_faces(const GridShape& g, const Voxel& v, Pred&& pred) {
  int n = 0;
  for (const auto& d : kFaceOffsets) {
    const Voxel w = offset(v, d);
    if (inside(g, w) && pred(w)) ++n;
  }
  return n;
}

// The value of a field at the field voxel holding lattice voxel v (fields may be coarser).
inline float& field_at(SignallingFields& f, Field<float> SignallingFields::*which, const Voxel& v) {
  const int c = int(f.coarsening);
  return (f.*which)(v[0] / c, v[1] / c, v[2] / c);
}
inline float field_at(const SignallingFields& f, Field<float> SignallingFields::*which,
                      const Voxel& v) {
  const int c = int(f.coarsening);
  return (f.*which)(v[0] / c, v[1] / c, v[2] / c);
}

// Random marrow-bone faces at a mean of `per_mm2_per_day` per mm^2 of bone surface over
// one step: Poisson(rate h^2 6 N dt) trials (stream (seed, 0, step, purpose)), each a
// random voxel v and face (its own stream, draw t + 1); f(t, v) is called for the trials
// whose v is marrow with bone w across that face, f(t, v, w), so hits per marrow-bone
// face are uniform with mean rate x BS x dt. Trials run in order, so f may append cells.
template <class F>
void for_each_surface_trial(const BoneLattice& l, double per_mm2_per_day, const StepClock& c,
                            Purpose purpose, F&& f) {
  const GridShape& g = l.shape;
  const double face_mm2 = std::pow(l.voxel_size_um * 1e-3, 2);
  const double voxels = double(g.nx) * g.ny * g.nz;
  const int trials =
      poisson(per_mm2_per_day * face_mm2 * 6 * voxels * c.dt, c.seed, 0, c.step, purpose);
  for (int t = 0; t < trials; ++t) {
    const auto u = uniform4(c.seed, 0, c.step, purpose, std::uint32_t(t + 1));
    const Voxel v{std::min(int(u[0] * g.nx), g.nx - 1), std::min(int(u[1] * g.ny), g.ny - 1),
                  std::min(int(u[2] * g.nz), g.nz - 1)};
    const Voxel w = offset(v, kFaceOffsets[std::size_t(u[3] * 6) % 6]);
    if (matrix_at(l, v) || !inside(g, w) || !bone_at(l, w)) continue;
    f(t, v, w);
  }
}

// RANK occupancy sensed by a cell in lattice voxel v.
inline double occupancy_at(const SignallingFields& f, const FieldsConfig& cfg, const Voxel& v) {
  return rank_occupancy(cfg.k_a_rankl_rank_per_pM,
                        double(field_at(f, &SignallingFields::rankl, v)));
}

// A marrow voxel with a bone face neighbour: where osteoclasts and their precursors sit.
inline bool on_bone_surface(const BoneLattice& l, const Voxel& v) {
  return !matrix_at(l, v) &&
         count_faces(l.shape, v, [&](const Voxel& w) { return bone_at(l, w); }) > 0;
}

}  // namespace bonesim
