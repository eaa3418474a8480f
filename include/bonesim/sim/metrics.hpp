// What metrics.csv (and the metrics table of run.h5) holds per row, listed once
// (docs/MODEL.md, "Outputs"): the header, the rows and the docs all follow this list.
#pragma once

#include <cmath>
#include <string>

#include "bonesim/config/config.hpp"
#include "bonesim/fields/signalling.hpp"
#include "bonesim/morphometry/morphometry.hpp"
#include "bonesim/morphometry/pits.hpp"
#include "bonesim/sim/simulation.hpp"

namespace bonesim {

// Cells and what they did (docs/MODEL.md, "Outputs").
struct CellMetrics {
  double precursors = 0;             // osteoclast precursors in the pool
  double osteoclasts = 0;            // living osteoclasts
  double osteoclast_nuclei = 0;      // their nuclei
  double osteoclast_age_days = NAN;  // their mean age (= mean lifespan when steady)
  double osteoblast_precursors = 0;  // recruited, not yet forming
  double osteoblasts = 0;            // active, laying osteoid
  double osteocytes = 0;
  double t_cells = 0;
  double t_cells_activated = 0;
  double lining_cells_formed = 0;   // osteoblasts become lining cells so far
  double resorbed_mm3_per_day = 0;  // bone resorbed in the last completed day
  double formed_mm3_per_day = 0;    // osteoid laid in the last completed day
};
CellMetrics cell_metrics(const Simulation& sim);

// Resorption pits (docs/MODEL.md section 5, "Resorption pits"): the PitSummary of
// analyse_pits as columns.
struct PitMetrics {
  double pits = 0;                             // number of pits
  double pits_completed = 0;                   // refilled to >= 90 %
  double pit_volume_mm3 = 0;                   // eroded volume of all pits
  double eroded_depth_um = NAN;                // mean E.De
  double eroded_depth_median_um = NAN;         // median E.De
  double eroded_depth_max_um = NAN;            // deepest pit
  double pit_mean_volume_um3 = NAN;            // mean eroded volume per pit
  double pit_mean_area_um2 = NAN;              // mean opening per pit
  double pit_resorption_days = NAN;            // mean span of resorption per pit
  double pit_resorption_days_by_volume = NAN;  // the same, volume-weighted
  double reversal_days = NAN;                  // formation start - resorption end, mean
  double formation_days = NAN;                 // formation period of completed pits, mean
  double wall_thickness_um = NAN;              // W.Th of completed pits, mean
  double pit_refilled_fraction = NAN;          // mean refilled fraction
};
PitMetrics pit_metrics(const PitSummary& s);

// Mechanics (docs/MODEL.md section 8): the last solve, scaled to the load of the day.
struct MechanicsMetrics {
  double load_factor = 1;  // factor on the habitual load today
  // Apparent modulus of the first load case along x, y and z at the last solve; NaN
  // for an axis no case loads.
  double apparent_modulus_x_MPa = NAN;
  double apparent_modulus_y_MPa = NAN;
  double apparent_modulus_z_MPa = NAN;
  double sed_mean_MPa = NAN;             // mean SED over bone elements, today's load
  double strain_mean_microstrain = NAN;  // mean effective strain over bone elements
  double disuse_fraction = NAN;          // bone elements below the disuse threshold
};
MechanicsMetrics mechanics_metrics(const Simulation& sim, const Config& cfg,
                                   const Mask& field_bone);

// Clinical-marker proxies (docs/MODEL.md, "Markers"): percentages are of the mean over
// the baseline window before the first intervention, NaN until it is complete.
struct MarkerMetrics {
  double resorption_marker_mm3_per_day = 0;  // CTX proxy: resorbed per day, smoothed
  double resorption_marker_pct = NAN;
  double formation_marker_mm3_per_day = 0;  // P1NP proxy: osteoid laid per day, smoothed
  double formation_marker_pct = NAN;
  double bmd_proxy = 0;  // mineral in the volume / full mineral in all of it
  double bmd_pct = NAN;
  double denosumab_serum_ng_per_mL = 0;
  double opg_fc_serum_ng_per_mL = 0;
};
MarkerMetrics marker_metrics(const Simulation& sim, const Config& cfg);

struct Metrics {
  double day = 0;
  double step = 0;
  Morphometry morphometry;
  FieldMetrics fields;
  CellMetrics cells;
  PitMetrics pits;
  MechanicsMetrics mechanics;
  MarkerMetrics markers;
};

// Calls column(name, value) for every column, in file order.
template <class M, class F>
void visit_metrics(M& m, F&& column) {
  column("day", m.day);
  column("step", m.step);
  auto& b = m.morphometry;
  column("bv_tv", b.bv_tv);
  column("bs_bv_per_mm", b.bs_bv_per_mm);
  column("tb_th_um", b.tb_th_um);
  column("tb_sp_um", b.tb_sp_um);
  column("tb_n_per_mm", b.tb_n_per_mm);
  column("conn_d_per_mm3", b.conn_d_per_mm3);
  column("euler", b.euler);
  auto& f = m.fields;
  column("rankl_pM", f.rankl_pM);
  column("opg_pM", f.opg_pM);
  column("rankl_opg_pM", f.rankl_opg_pM);
  column("drug_pM", f.drug_pM);
  column("coupling_pM", f.coupling_pM);
  column("rank_occupancy", f.rank_occupancy);
  auto& c = m.cells;
  column("precursors", c.precursors);
  column("osteoclasts", c.osteoclasts);
  column("osteoclast_nuclei", c.osteoclast_nuclei);
  column("osteoclast_age_days", c.osteoclast_age_days);
  column("osteoblast_precursors", c.osteoblast_precursors);
  column("osteoblasts", c.osteoblasts);
  column("osteocytes", c.osteocytes);
  column("t_cells", c.t_cells);
  column("t_cells_activated", c.t_cells_activated);
  column("lining_cells_formed", c.lining_cells_formed);
  column("resorbed_mm3_per_day", c.resorbed_mm3_per_day);
  column("formed_mm3_per_day", c.formed_mm3_per_day);
  auto& p = m.pits;
  column("pits", p.pits);
  column("pits_completed", p.pits_completed);
  column("pit_volume_mm3", p.pit_volume_mm3);
  column("eroded_depth_um", p.eroded_depth_um);
  column("eroded_depth_median_um", p.eroded_depth_median_um);
  column("eroded_depth_max_um", p.eroded_depth_max_um);
  column("pit_mean_volume_um3", p.pit_mean_volume_um3);
  column("pit_mean_area_um2", p.pit_mean_area_um2);
  column("pit_resorption_days", p.pit_resorption_days);
  column("pit_resorption_days_by_volume", p.pit_resorption_days_by_volume);
  column("reversal_days", p.reversal_days);
  column("formation_days", p.formation_days);
  column("wall_thickness_um", p.wall_thickness_um);
  column("pit_refilled_fraction", p.pit_refilled_fraction);
  auto& mech = m.mechanics;
  column("load_factor", mech.load_factor);
  column("apparent_modulus_x_MPa", mech.apparent_modulus_x_MPa);
  column("apparent_modulus_y_MPa", mech.apparent_modulus_y_MPa);
  column("apparent_modulus_z_MPa", mech.apparent_modulus_z_MPa);
  column("sed_mean_MPa", mech.sed_mean_MPa);
  column("strain_mean_microstrain", mech.strain_mean_microstrain);
  column("disuse_fraction", mech.disuse_fraction);
  auto& mk = m.markers;
  column("resorption_marker_mm3_per_day", mk.resorption_marker_mm3_per_day);
  column("resorption_marker_pct", mk.resorption_marker_pct);
  column("formation_marker_mm3_per_day", mk.formation_marker_mm3_per_day);
  column("formation_marker_pct", mk.formation_marker_pct);
  column("bmd_proxy", mk.bmd_proxy);
  column("bmd_pct", mk.bmd_pct);
  column("denosumab_serum_ng_per_mL", mk.denosumab_serum_ng_per_mL);
  column("opg_fc_serum_ng_per_mL", mk.opg_fc_serum_ng_per_mL);
}

// The comma-separated column names, newline-terminated.
std::string metrics_header();

// Every metric of the current state (morphometry of the bone classification, field means
// over marrow, statistics of `pits`, the analyse_pits() of the lattice); Tb.Th, Tb.Sp and
// Tb.N only with `thickness` (NaN otherwise).
Metrics compute_metrics(const Simulation& sim, const Config& cfg, const std::vector<Pit>& pits,
                        bool thickness);

}  // namespace bonesim
