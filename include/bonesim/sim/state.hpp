// Everything a run's state holds, listed once. Snapshot writers (HDF5 + XDMF, VTK),
// checkpoints and restarts all walk this list, so a quantity added to the model is
// added here and appears in every output and in every checkpoint.
//
// A visitor V provides (Sim is Simulation or const Simulation, so T may be const):
//   void scalar(std::string_view name, T& value, const ArrayInfo&)        T: int64, double
//   void voxels(Part part, std::string_view name, Field<T>& f, const ArrayInfo&)
//                                                                      T: float, uint8
//   void cells(std::string_view population, P& pop)   P: a cell population, whose
//       columns a free function visit_columns(P& pop, C& c) lists by calling
//       c.column(std::string_view name, std::vector<T>& values, const ArrayInfo&)
//       with T one of uint64, int32, uint8, float, double, std::array<double, 3>.
//       Every population has the columns "id" (uint64) and "position_um"
//       (std::array<double, 3>, in lattice coordinates: voxel (i, j, k) spans
//       [origin + i h, origin + (i + 1) h) along x, and so on).
#pragma once

#include <string_view>

#include "bonesim/sim/simulation.hpp"

namespace bonesim {

// Which output interval a voxel array follows (run.output.*_interval_days).
enum class Part { kLattice, kFields, kCells };

// Which parts a snapshot holds (each part has its own interval).
struct SnapshotParts {
  bool lattice = false, fields = false, cells = false;
  bool any() const { return lattice || fields || cells; }
  bool operator==(const SnapshotParts&) const = default;
};

struct ArrayInfo {
  std::string_view units;        // "1" for fractions and counts, "d", "um", "pM", ...
  std::string_view description;  // one line for users (HDF5 attribute, docs)
};

template <class Sim, class V>
void visit_state(Sim& sim, V& v) {
  v.scalar("step", sim.step, {"1", "time steps completed"});
  v.scalar("day", sim.day, {"d", "simulated days completed"});
  auto& l = sim.lattice;
  v.voxels(Part::kLattice, "bone", l.bone, {"1", "mineralised bone volume fraction"});
  v.voxels(Part::kLattice, "osteoid", l.osteoid, {"1", "unmineralised matrix volume fraction"});
  v.voxels(Part::kLattice, "day_last_resorbed", l.day_last_resorbed,
           {"d", "day the voxel last lost bone to resorption, -1 = never"});
  v.voxels(Part::kLattice, "day_last_formed", l.day_last_formed,
           {"d", "day osteoid was last laid in the voxel, -1 = never"});
  v.voxels(Part::kLattice, "bone_at_day0", l.bone_at_day0,
           {"1", "1 where the voxel was bone at day 0"});
  auto& f = sim.fields;
  v.scalar("pth_pM", f.pth_pM, {"pM", "systemic PTH"});
  v.voxels(Part::kFields, "rankl", f.rankl, {"pM", "free soluble RANKL"});
  v.voxels(Part::kFields, "opg", f.opg, {"pM", "free OPG"});
  v.voxels(Part::kFields, "rankl_opg", f.rankl_opg, {"pM", "RANKL-OPG complex"});
  v.voxels(Part::kFields, "drug", f.drug, {"pM", "free RANKL-blocking drug (denosumab)"});
  v.voxels(Part::kFields, "rankl_drug", f.rankl_drug, {"pM", "RANKL-drug complex"});
  v.voxels(Part::kFields, "rankl_rank", f.rankl_rank,
           {"pM", "RANKL bound to RANK on the voxel's cells"});
  v.voxels(Part::kFields, "coupling", f.coupling,
           {"pM", "coupling factor released from resorbed matrix"});
  // Cell populations (cells()) join this list with the issue that adds them.
}

}  // namespace bonesim
