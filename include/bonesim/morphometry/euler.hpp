// Euler characteristic of the bone as a cubical complex of closed unit cubes
// (26-connected bone, 6-connected marrow) and its edge-corrected contribution
// (Odgaard & Gundersen 1993). docs/MODEL.md, "Morphometry".
#pragma once

#include "bonesim/core/grid.hpp"

namespace bonesim {

// chi = V - E + F - C of the union of the closed voxel cubes with mask == 1.
long long euler_characteristic(const Mask& mask);

// Delta chi = chi(X n V) - 1/2 sum_faces chi(X n F) + 1/4 sum_edges chi(X n E)
//             - 1/8 sum_corners chi(X n P),
// the sample's share of the Euler characteristic of a structure that tiles space.
double euler_contribution(const Mask& mask);

}  // namespace bonesim
