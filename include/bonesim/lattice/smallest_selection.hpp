// Exact selection of the n smallest values of a voxel field, ties broken by voxel
// order: how the synthetic generator hits a bone volume fraction to the voxel.
#pragma once

#include "bonesim/core/grid.hpp"

namespace bonesim {

// Everything below `value`, plus the first `ties_taken` voxels (in storage order:
// x fastest, then y, then z) equal to it, are the n smallest.
struct SmallestSelection {
  float value = 0;
  Index ties_taken = 0;
  bool found = false;  // false: fewer than n values are <= the limit
};

// The n smallest (n >= 1) of the values <= limit among non-negative floats (a radix
// select on their bit patterns: exact, no sort, the same at any thread count).
SmallestSelection select_smallest(const Field<float>& f, Index n, float limit);

// 1 where the voxel is in the selection, else 0.
Mask selected_mask(const Field<float>& f, const SmallestSelection& sel);

}  // namespace bonesim
