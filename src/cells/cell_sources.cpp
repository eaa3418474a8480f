#include "bonesim/cells/cell_sources.hpp"

#include <algorithm>

#include "bonesim/cells/osteocytes.hpp"
#include "bonesim/mechanics/mechanosensing.hpp"

namespace bonesim {

CellSources make_cell_sources(const GridShape& field_grid) {
  return {Field<float>(field_grid, 0.0f), Field<float>(field_grid, 0.0f)};
}

void compute_cell_sources(const CellPopulations& cells, const CellsConfig& cfg,
                          const BoneLattice& l, int coarsening, CellSources& out,
                          const StrainStimulus* stimulus) {
  std::fill(out.rankl.data.begin(), out.rankl.data.end(), 0.0f);
  std::fill(out.opg.data.begin(), out.opg.data.end(), 0.0f);
  // A cell's production spreads over the field voxel holding its lattice voxel.
  const int c = coarsening;
  const double per_volume = 1.0 / (double(c) * c * c);
  auto add = [&](Field<float>& f, const Voxel& v, double rate) {
    f(v[0] / c, v[1] / c, v[2] / c) += float(rate * per_volume);
  };
  const OsteocyteConfig& ocy = cfg.osteocytes;
  for (const Position& p : cells.osteocytes.position_um) {
    const Voxel v = voxel_of(l, p);
    const Voxel w = osteocyte_outlet(l, v);
    if (w[0] < 0) continue;
    OsteocyteResponse r;
    if (stimulus) {
      r = osteocyte_response(*stimulus->sensing, stimulus->microstrain(v[0], v[1], v[2]));
    }
    add(out.rankl, w, ocy.rankl_pM_per_day * r.rankl);
    add(out.opg, w, ocy.opg_pM_per_day * r.opg);
  }
  const Osteoblasts& ob = cells.osteoblasts;
  for (std::size_t r = 0; r < ob.id.size(); ++r) {
    const Voxel v = voxel_of(l, ob.position_um[r]);
    if (ob.stage[r] == std::uint8_t(OsteoblastStage::kPrecursor)) {
      add(out.rankl, v, cfg.osteoblasts.rankl_pM_per_day);
    } else {
      add(out.opg, v, cfg.osteoblasts.opg_pM_per_day);
    }
  }
  const TCells& t = cells.t_cells;
  for (std::size_t r = 0; r < t.id.size(); ++r) {
    if (t.activated[r]) add(out.rankl, voxel_of(l, t.position_um[r]), cfg.t_cells.rankl_pM_per_day);
  }
}

}  // namespace bonesim
