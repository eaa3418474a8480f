// Everything a run's state holds, listed once. Snapshot writers (HDF5 + XDMF, VTK),
// checkpoints and restarts all walk this list, so a quantity added to the model is
// added here and appears in every output and in every checkpoint.
//
// A visitor V provides (Sim is Simulation or const Simulation, so T may be const):
//   void scalar(std::string_view name, T& value, const ArrayInfo&)        T: int64, double
//   void voxels(Part part, std::string_view name, Field<T>& f, const ArrayInfo&)
//                                                                      T: float, uint8, int32
//   void cells(std::string_view population, P& pop)   P: a cell population, whose
//       columns a free function visit_columns(P& pop, C& c) lists by calling
//       c.column(std::string_view name, std::vector<T>& values, const ArrayInfo&)
//       with T one of uint64, int32, uint8, float, double, std::array<double, 3>.
//       Every population has the columns "id" (uint64) and "position_um"
//       (std::array<double, 3>, in lattice coordinates: voxel (i, j, k) spans
//       [origin + i h, origin + (i + 1) h) along x, and so on).
#pragma once

#include <string>
#include <string_view>

#include "bonesim/core/array_info.hpp"
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

template <class Sim, class V>
void visit_state(Sim& sim, V& v) {
  v.scalar("step", sim.step, {"1", "time steps completed"});
  v.scalar("day", sim.day, {"d", "simulated days completed"});
  auto& l = sim.lattice;
  v.voxels(Part::kLattice, "bone", l.bone, {"1", "mineralised bone volume fraction"});
  v.voxels(Part::kLattice, "osteoid", l.osteoid, {"1", "unmineralised matrix volume fraction"});
  v.voxels(Part::kLattice, "mineral", l.mineral,
           {"1", "degree of mineralisation of the voxel's bone, relative to full mineral"});
  v.voxels(Part::kLattice, "day_last_resorbed", l.day_last_resorbed,
           {"d", "day the voxel last lost bone to resorption, -1 = never"});
  v.voxels(Part::kLattice, "day_last_formed", l.day_last_formed,
           {"d", "day osteoid was last laid in the voxel, -1 = never"});
  v.voxels(Part::kLattice, "day_first_formed", l.day_first_formed,
           {"d", "first day osteoid was laid in the voxel since it was last resorbed, -1 = never"});
  v.voxels(Part::kLattice, "bone_at_day0", l.bone_at_day0,
           {"1", "1 where the voxel was bone at day 0"});
  v.voxels(Part::kLattice, "resorption_event", l.resorption_event,
           {"1", "remodelling event (BMU) that last resorbed the voxel, -1 = never"});
  v.voxels(Part::kLattice, "pit_label", l.pit_label,
           {"1", "resorption pit of the voxel (docs/MODEL.md section 5), -1 = none"});
  v.voxels(Part::kLattice, "resorption_depth", l.resorption_depth,
           {"1", "voxel layers below the old surface at which its event resorbed it"});
  auto& f = sim.fields;
  v.scalar("pth_pM", f.pth_pM, {"pM", "systemic PTH"});
  v.scalar("fields_coarsening", f.coarsening,
           {"1", "lattice voxels per field voxel along an axis"});
  v.voxels(Part::kFields, "rankl", f.rankl, {"pM", "free soluble RANKL"});
  v.voxels(Part::kFields, "opg", f.opg, {"pM", "free OPG"});
  v.voxels(Part::kFields, "rankl_opg", f.rankl_opg, {"pM", "RANKL-OPG complex"});
  v.voxels(Part::kFields, "drug", f.drug, {"pM", "free RANKL-blocking drug (denosumab)"});
  v.voxels(Part::kFields, "rankl_drug", f.rankl_drug, {"pM", "RANKL-drug complex"});
  v.voxels(Part::kFields, "rankl_rank", f.rankl_rank,
           {"pM", "RANKL bound to RANK on the voxel's cells"});
  v.voxels(Part::kFields, "coupling", f.coupling,
           {"pM", "coupling factor released from resorbed matrix"});
  auto& m = sim.mechanics;
  v.voxels(Part::kFields, "sed", m.sed_MPa,
           {"MPa",
            "strain energy density of the habitual load cases (combined) at the last "
            "mechanics solve; 0 without mechanics"});
  v.voxels(Part::kFields, "strain", m.strain,
           {"1", "effective strain sqrt(2 SED / E) at the last mechanics solve"});
  // Per load case n (1-based): displacement_x, _y, _z and apparent_modulus_MPa, with the
  // suffix _case<n> from the second case on.
  for (std::size_t n = 0; n < m.cases.size(); ++n) {
    const std::string suffix = n == 0 ? "" : "_case" + std::to_string(n + 1);
    auto& lc = m.cases[n];
    for (std::size_t d = 0; d < 3; ++d) {
      v.voxels(Part::kFields, std::string("displacement_") + "xyz"[d] + suffix,
               lc.displacement_um[d],
               {"um", "element-centre displacement under load case " + std::to_string(n + 1) +
                          " at the last mechanics solve"});
    }
    v.scalar("apparent_modulus_MPa" + suffix, lc.apparent_modulus_MPa,
             {"MPa", "apparent modulus of load case " + std::to_string(n + 1) +
                         " at the last mechanics solve"});
  }
  v.scalar("mechanics_solved_day", m.solved_day,
           {"d", "day of the last mechanics solve, -1 = never"});
  v.scalar("mechanics_bone_um3", m.bone_at_solve_um3,
           {"um^3", "mineralised bone volume at the last mechanics solve"});
  v.scalar("mechanics_iterations", m.iterations,
           {"1", "conjugate-gradient iterations of the last mechanics solve, all load cases"});
  // Per drug: <drug>_depot_ng_per_kg, _serum_ng_per_mL, _peripheral_ng_per_mL.
  for (auto [drug, pk] :
       {std::pair{"denosumab", &sim.denosumab}, std::pair{"opg_fc", &sim.opg_fc}}) {
    const std::string d = drug;
    v.scalar(d + "_depot_ng_per_kg", pk->depot_ng_per_kg,
             {"ng/kg", "drug not yet absorbed from the injection site"});
    v.scalar(d + "_serum_ng_per_mL", pk->central_ng_per_mL, {"ng/mL", "drug in serum"});
    v.scalar(d + "_peripheral_ng_per_mL", pk->peripheral_ng_per_mL,
             {"ng/mL", "drug in the peripheral compartment"});
  }
  auto& mk = sim.markers;
  v.scalar("marker_resorbed_um3_per_day", mk.resorbed_um3_per_day,
           {"um^3/d", "resorbed per day, exponential mean (resorption marker)"});
  v.scalar("marker_formed_um3_per_day", mk.formed_um3_per_day,
           {"um^3/d", "osteoid laid per day, exponential mean (formation marker)"});
  v.scalar("marker_baseline_days", mk.baseline_days, {"d", "days in the markers' baseline"});
  v.scalar("marker_baseline_resorbed_um3", mk.baseline_resorbed_um3,
           {"um^3", "resorbed over the baseline days"});
  v.scalar("marker_baseline_formed_um3", mk.baseline_formed_um3,
           {"um^3", "osteoid laid over the baseline days"});
  v.scalar("marker_baseline_mineral_sum", mk.baseline_mineral_sum,
           {"1", "sum of the daily mineral fractions over the baseline days"});
  auto& c = sim.cells;
  v.scalar("next_cell_id", c.next_id, {"1", "id of the next cell born"});
  v.scalar("next_event", c.next_event, {"1", "id of the next remodelling event"});
  v.scalar("lining_cells_formed", c.lining_cells_formed,
           {"1", "osteoblasts that have become lining cells"});
  auto& t = sim.remodelling;
  v.scalar("resorbed_um3_today", t.resorbed_um3, {"um^3", "resorbed so far in the current day"});
  v.scalar("formed_um3_today", t.formed_um3, {"um^3", "osteoid laid so far in the current day"});
  v.scalar("resorbed_um3_per_day", t.resorbed_um3_per_day,
           {"um^3/d", "resorbed in the last completed day"});
  v.scalar("formed_um3_per_day", t.formed_um3_per_day,
           {"um^3/d", "osteoid laid in the last completed day"});
  for_each_population(c, [&](std::string_view name, auto& pop) { v.cells(name, pop); });
}

}  // namespace bonesim
