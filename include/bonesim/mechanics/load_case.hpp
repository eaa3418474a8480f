// Displacement-controlled load cases of a voxel sample between two rigid plates, and the
// analysis that keeps them well posed: bone not joined to both plates is left out, and
// the rigid modes the plates leave free are held by statically determinate pins.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "bonesim/core/grid.hpp"
#include "bonesim/mechanics/fe_operator.hpp"

namespace bonesim {

struct LoadCase {
  // Lateral support of the sample.
  enum class Lateral {
    kFree,        // plates slip: only the axial displacement is prescribed on them
    kConfined,    // as kFree, plus rollers (zero normal displacement) on the 4 side faces
    kFixedPlates  // all 3 displacement components prescribed on both plates; sides free
  };
  int axis = 2;           // loading axis: 0 = x, 1 = y, 2 = z
  double strain = -0.01;  // apparent strain: u_axis = 0 on the min plane, strain L on the max
  Lateral lateral = Lateral::kFree;
};

// Element components (elements sharing any node) and which plates each touches.
struct FeComponent {
  std::uint8_t faces = 0;  // bit 2 a: touches the min plane of axis a; bit 2 a + 1: the max
  // Per axis, the first element (grid order) of the component on the min plane, or -1s.
  std::array<std::array<int, 3>, 3> anchor{};
  bool bears(int axis) const { return ((faces >> (2 * axis)) & 3) == 3; }
};

struct FeComponents {
  std::vector<FeComponent> list;
  // Per element, bit a: its component touches both planes normal to axis a, so carries
  // load when loaded along a. Other bone carries none under displacement control.
  Mask bearing;
};

FeComponents find_components(const FeMesh& mesh);

// Marks the prescribed dofs of the load case (bits of DofMask) and writes their values
// into u (3 per node; other entries are left as they are, e.g. a warm start). Nodes of
// non-bearing elements are fixed at zero. Pins (zero reaction) hold the rigid modes
// that the plates and rollers leave free in each bearing component.
DofMask prescribe(const FeMesh& mesh, const FeComponents& comps, const LoadCase& load,
                  std::vector<double>& u);

}  // namespace bonesim
