// Resorption pits: the cavities each remodelling event (BMU) dug, measured as bone
// histomorphometry measures resorption cavities (eroded depth after Eriksen 1986, names after
// Parfitt et al. 1987). Definitions and conventions: docs/MODEL.md, "Resorption pits".
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "bonesim/core/grid.hpp"
#include "bonesim/lattice/bone_lattice.hpp"

namespace bonesim {

// Refilled fraction at and above which a pit counts as completed (refilled) in PitSummary.
inline constexpr double kCompletedRefillFraction = 0.9;

// One pit: a 6-connected region of voxels resorbed by the same event. Quantities that are
// undefined for a pit are NaN (see each field).
struct Pit {
  std::int32_t event = -1;  // remodelling event (BMU) id that resorbed the voxels, >= 0
  std::int32_t label = -1;  // index of this pit in PitAnalysis::pits and value in its label field
  Index voxels = 0;         // number of voxels in the pit
  double volume_um3 = 0;    // eroded volume: voxels x h^3 (um^3)
  // Eroded depth E.De (um): the largest distance of the pit's far voxel faces below the surface
  // it was dug from, i.e. h x max over pit voxels of the centre-to-centre distance to the
  // nearest source-marrow voxel (a one-voxel pit reads h). NaN when the pit has no source
  // marrow anywhere in the domain (buried by later formation).
  double eroded_depth_um = 0;
  // Opening on the old surface (um^2): faces between pit voxels and source-marrow voxels x h^2,
  // the pit's footprint on the surface it was dug from (not its scalloped floor, which is what
  // 2-D eroded surface ES measures). Faces on the domain boundary do not count.
  double area_um2 = 0;
  double start_day = 0;          // first day any of its voxels was resorbed (day; NaN if none)
  double end_day = 0;            // last day any of its voxels was resorbed (day; NaN if none)
  double refilled_fraction = 0;  // mean over its voxels of min(1, bone + osteoid), 0..1
  double formation_start_day =
      0;                         // first day osteoid was laid in it (day_first_formed; NaN if none)
  double formation_end_day = 0;  // last day osteoid was laid in it (day_last_formed; NaN if none)
};

struct PitAnalysis {
  std::vector<Pit> pits;  // ordered by label: pits[l].label == l
  // Per voxel: the label of its pit, -1 outside pits. Labels count up from 0 in the order of
  // each pit's first voxel (x fastest, then y, then z), so they do not depend on the thread
  // count or on event ids.
  Field<std::int32_t> label;
};

// Finds and measures the pits of `lattice`. `resorption_event` holds, per voxel, the id (>= 0)
// of the event that last resorbed it, or -1 for a voxel never resorbed; its shape must be the
// lattice's (std::invalid_argument otherwise). Pits are measured against their source marrow:
// voxels never resorbed that are marrow (bone < 0.5), and voxels of other events resorbed
// before this pit began and not refilled (bone + osteoid < 0.5). Voxels of the pit's own event
// never are. docs/MODEL.md, "Resorption pits".
PitAnalysis analyse_pits(const BoneLattice& lattice, const Field<std::int32_t>& resorption_event);

// Pit statistics for metrics. Means and the median are over the pits where the quantity is
// defined; with no such pit they are NaN.
struct PitSummary {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  Index count = 0;                       // number of pits
  Index completed_count = 0;             // pits with refilled_fraction >= the completion threshold
  double total_volume_um3 = 0;           // eroded volume of all pits (um^3)
  double total_area_um2 = 0;             // openings of all pits (um^2)
  double mean_eroded_depth_um = kNaN;    // mean E.De (um)
  double median_eroded_depth_um = kNaN;  // median E.De (um)
  double max_eroded_depth_um = kNaN;     // deepest pit (um)
  double mean_volume_um3 = kNaN;         // mean eroded volume per pit (um^3)
  double mean_area_um2 = kNaN;           // mean opening per pit (um^2)
  double mean_resorption_days = kNaN;    // mean end_day - start_day (day)
  double volume_weighted_resorption_days = kNaN;  // the same weighted by pit volume (day)
  double mean_refilled_fraction = kNaN;           // mean refilled_fraction (-)
  // Over pits where formation has begun: formation_start_day - end_day (reversal, day).
  double mean_reversal_days = kNaN;
  // Over completed pits: formation_end_day - formation_start_day (formation period, day) and
  // the completed wall thickness W.Th = E.De x refilled_fraction (um).
  double mean_formation_days = kNaN;
  double mean_wall_thickness_um = kNaN;
};

PitSummary summarize_pits(const std::vector<Pit>& pits,
                          double completed_refill = kCompletedRefillFraction);

}  // namespace bonesim
