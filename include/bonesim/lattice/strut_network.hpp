// The medial skeleton of synthetic trabecular bone: rods (segments) and plates
// (pairs of triangles) on a jittered, z-elongated cubic lattice.
// Method and sources: docs/MODEL.md, "Synthetic trabecular bone".
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace bonesim {

using Point3 = std::array<float, 3>;

struct Segment {
  Point3 a, b;
};

struct Triangle {
  Point3 a, b, c;
};

// Shape of the random lattice; lengths in voxels. Defaults: docs/MODEL.md.
struct StrutNetworkParams {
  double spacing_vox = 30.0;     // node spacing across the load axis (x and y)
  double aspect_z = 1.25;        // node spacing along z / spacing across: structural anisotropy
  double jitter = 0.22;          // node displacement, uniform +-jitter * spacing per axis
  double struts_per_node = 1.5;  // plates + rods per lattice node before pruning
  double plate_fraction = 0.5;   // share of plates among struts (-)
  double horizontal_plate_weight = 0.35;  // odds of a plate normal to z vs one containing z
  double horizontal_rod_weight = 0.6;     // odds of a rod across z vs one along z
  double join_margin_vox = 0.0;           // struts join at nodes at most this far outside the box
};

struct StrutNetwork {
  std::vector<Segment> rods;     // medial axes of the rods
  std::vector<Triangle> plates;  // medial surfaces of the plates, two triangles each
  int plate_count = 0;           // plates (quadrilaterals) kept
  int node_count = 0;            // lattice nodes that carry at least one strut
  int pruned_strut_count = 0;    // struts dropped for not touching the main network
};

// Network covering the box [0, extent] (voxels) and one lattice cell beyond each face,
// keeping only the piece, connected through nodes in the box, that meets the box most. The same for
// the same (extent, params, seed): draws are keyed by lattice node, so changing the spacing
// rescales the same random network.
StrutNetwork make_strut_network(const std::array<double, 3>& extent_vox,
                                const StrutNetworkParams& params, std::uint64_t seed);

}  // namespace bonesim
