// Clinical-marker proxies (docs/MODEL.md, "Markers"; biology.md section 4): resorbed and
// formed volume per day (serum CTX and P1NP stand-ins), smoothed over a few days, and the
// mineral in the volume (a BMD stand-in), each also against its mean over a baseline
// window that ends where the first intervention starts.
#pragma once

#include "bonesim/cells/populations.hpp"
#include "bonesim/config/config.hpp"
#include "bonesim/lattice/bone_lattice.hpp"

namespace bonesim {

// Part of the state (checkpointed): running values and baseline sums.
struct MarkerState {
  double resorbed_um3_per_day = 0;  // exponential mean over marker_smoothing_days
  double formed_um3_per_day = 0;
  double baseline_days = 0;          // days summed below
  double baseline_resorbed_um3 = 0;  // sum of the daily volumes
  double baseline_formed_um3 = 0;
  double baseline_mineral_sum = 0;  // sum of the daily mineral fractions
};

// Mineral in the volume over full mineral in all of it (-): the sum over voxels of the
// bone fraction times its degree of mineralisation, over the voxel count. The BMD proxy.
double mineral_fraction(const BoneLattice& l);

// At the close of each simulated day (`day_after` = the day just completed, an integer):
// smooths the day's volumes of `tally` in and, on the days of the baseline window
// (marker_baseline_days up to the first intervention's start), adds them and the mineral
// fraction to the baseline sums.
void close_marker_day(MarkerState& m, const RemodellingTally& tally, const BoneLattice& l,
                      const Config& cfg, double day_after);

}  // namespace bonesim
