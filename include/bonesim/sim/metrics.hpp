// What metrics.csv (and the metrics table of run.h5) holds per row, listed once
// (docs/MODEL.md, "Outputs"): the header, the rows and the docs all follow this list.
#pragma once

#include <string>

#include "bonesim/config/config.hpp"
#include "bonesim/fields/signalling.hpp"
#include "bonesim/morphometry/morphometry.hpp"
#include "bonesim/sim/simulation.hpp"

namespace bonesim {

// Cells and what they did (docs/MODEL.md, "Outputs").
struct CellMetrics {
  double precursors = 0;             // osteoclast precursors in the pool
  double osteoclasts = 0;            // living osteoclasts
  double osteoclast_nuclei = 0;      // their nuclei
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

struct Metrics {
  double day = 0;
  double step = 0;
  Morphometry morphometry;
  FieldMetrics fields;
  CellMetrics cells;
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
  column("osteoblast_precursors", c.osteoblast_precursors);
  column("osteoblasts", c.osteoblasts);
  column("osteocytes", c.osteocytes);
  column("t_cells", c.t_cells);
  column("t_cells_activated", c.t_cells_activated);
  column("lining_cells_formed", c.lining_cells_formed);
  column("resorbed_mm3_per_day", c.resorbed_mm3_per_day);
  column("formed_mm3_per_day", c.formed_mm3_per_day);
}

// The comma-separated column names, newline-terminated.
std::string metrics_header();

// Every metric of the current state (morphometry of the bone classification, field means
// over marrow).
Metrics compute_metrics(const Simulation& sim, const Config& cfg);

}  // namespace bonesim
