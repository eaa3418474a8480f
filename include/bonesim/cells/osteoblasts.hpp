// The osteoblast lineage (docs/MODEL.md, "Cells: osteoblasts"): precursors recruited to
// resorbed surfaces after a reversal phase through the coupling factor (TGF-beta-like,
// Tang et al. 2009; reversal: Eriksen 1986), active osteoblasts laying down osteoid at the
// mineral apposition rate, and their fates (osteocyte, lining cell, apoptosis; Parfitt
// 1994, Manolagas 2000). Precursors make RANKL, active cells OPG (Pivonka et al. 2008).
#pragma once

#include <cstdint>

#include "bonesim/cells/cell_context.hpp"
#include "bonesim/cells/osteoclasts.hpp"
#include "bonesim/config/cells_config.hpp"
#include "bonesim/fields/signalling.hpp"
#include "bonesim/mechanics/mechanosensing.hpp"

namespace bonesim {

// The `event` of an osteoblast recruited onto quiescent surface: no pit has it, so the
// cell fills its one voxel and ends.
inline constexpr std::int32_t kModellingEvent = -2;

// A free pit site: a voxel resorbed by some event and not yet refilled (matrix below
// half), next to matrix, last resorbed at least reversal_days ago, without an osteoblast,
// and not arrested: resorbed, or next to osteoid laid, within the last arrest_days. Each recruits a
// precursor with probability chance(recruitment_per_day c / (c + coupling_half) m, dt), c its
// coupling factor and m the sclerostin factor osteocyte_response(...).formation of the most
// strained matrix voxel sharing a face with it (1 without `stimulus`); new cells are added in voxel
// order. Then, with quiescent_recruitment_per_mm2_per_day > 0, precursors on quiescent
// surface: for_each_surface_trial's marrow voxels outside every pit and free of
// osteoblasts, with event kModellingEvent.
void recruit_osteoblasts(CellPopulations& cells, const BoneLattice& l, const SignallingFields& f,
                         const OsteoblastConfig& cfg, const StepClock& c,
                         const StrainStimulus* stimulus = nullptr);

// One step of every osteoblast, in id order: a precursor turns active after
// precursor_days; an active cell fills its voxel with osteoid at apposition_um_per_day /
// h per day (day_last_formed set) and, once the voxel is full, moves to a free site of
// the same pit next to it (so a pit is refilled up to the surface it was dug from, and
// no further: wall thickness = eroded depth), or, for a share overflow_fraction of the
// cells, once to a marrow voxel next to bone outside every pit (overflow). With none left, or past
// its active lifespan, it ends: an osteocyte in the voxel it filled (osteocyte_fraction), a lining
// cell (lining_fraction, counted in `lining_cells_formed`) or apoptosis.
void update_osteoblasts(CellPopulations& cells, BoneLattice& l, const OsteoblastConfig& cfg,
                        const StepClock& c, RemodellingTally& tally);

}  // namespace bonesim
