// The voxelised bone: what each voxel holds and how it is classified.
#pragma once

#include <array>
#include <cstdint>
#include <limits>

#include "bonesim/core/grid.hpp"

namespace bonesim {

// Marker for "never happened" in the per-voxel day fields.
inline constexpr float kNever = -1.0f;

// Mineralised fraction at and above which a voxel counts as bone (what micro-CT
// segmentation sees); below it the voxel is marrow. docs/MODEL.md, "Lattice".
inline constexpr float kBoneThreshold = 0.5f;

struct BoneLattice {
  GridShape shape;
  double voxel_size_um = 20.0;        // edge length of a cubic voxel
  std::array<double, 3> origin_um{};  // position of voxel (0,0,0)'s lower corner

  Field<float> bone;     // mineralised bone volume fraction, 0..1
  Field<float> osteoid;  // unmineralised matrix volume fraction, 0..1
  // Degree of mineralisation of the voxel's bone, relative to full mineral (0..1):
  // primary, then secondary mineralisation (docs/MODEL.md, "Cells: mineralisation").
  Field<float> mineral;
  Field<float> day_last_resorbed;  // simulated day the voxel last lost bone, or kNever
  Field<float> day_last_formed;    // simulated day the voxel last gained osteoid, or kNever
  Field<float> day_first_formed;   // first day it gained osteoid since last resorbed, or kNever
  Mask bone_at_day0;               // 1 where the voxel was bone at day 0
  // Remodelling history, written by the osteoclasts (docs/MODEL.md, "Cells"):
  Field<std::int32_t> resorption_event;  // event (BMU) that last resorbed the voxel, or -1
  Mask resorption_depth;  // voxels below the surface its event dug it from (1 = first layer)
  // Label of the voxel's resorption pit (morphometry/pits.hpp), -1 outside pits: derived
  // from the above, refreshed once per simulated day so that snapshots can colour pits.
  Field<std::int32_t> pit_label;
};

// An all-marrow lattice of nx x ny x nz voxels.
BoneLattice make_lattice(int nx, int ny, int nz, double voxel_size_um);

inline bool is_bone(float bone_fraction) {
  return bone_fraction >= kBoneThreshold;
}

// 1 where the voxel is bone.
Mask bone_mask(const BoneLattice& lattice);

// 1 where a bone voxel has at least one marrow face neighbour (6-connectivity).
// Faces on the domain boundary do not count: the bone goes on beyond the sample.
Mask surface_mask(const Mask& bone);

// Records the current classification as the day-0 state.
void mark_day0(BoneLattice& lattice);

// Number of voxels set in a mask (deterministic, parallel).
Index count(const Mask& mask);

}  // namespace bonesim
