#include "bonesim/cells/t_cells.hpp"

#include "bonesim/core/parallel.hpp"

namespace bonesim {

void seed_t_cells(CellPopulations& cells, const BoneLattice& l, const TCellConfig& cfg,
                  std::uint64_t seed) {
  const double voxel_mm3 = std::pow(l.voxel_size_um * 1e-3, 3);
  const double p = std::min(1.0, cfg.density_per_mm3 * voxel_mm3);
  const double rates = cfg.activation_per_day + cfg.deactivation_per_day;
  const double p_active = rates > 0 ? cfg.activation_per_day / rates : 0.0;
  const GridShape& g = l.shape;
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        const Voxel v{i, j, k};
        if (matrix_at(l, v)) continue;
        const auto u = uniform4(seed, voxel_key(g, v), 0, Purpose::kTCellSeeding);
        if (u[0] >= p) continue;
        cells.t_cells.id.push_back(std::uint64_t(cells.next_id++));
        cells.t_cells.position_um.push_back(centre_of(l, v));
        cells.t_cells.activated.push_back(u[1] < p_active ? 1 : 0);
      }
}

void update_t_cells(TCells& t, const BoneLattice& l, const TCellConfig& cfg, const StepClock& c) {
  parallel_for(
      0, Index(t.id.size()),
      [&](Index r) {
        const std::uint64_t id = t.id[std::size_t(r)];
        Voxel v = voxel_of(l, t.position_um[std::size_t(r)]);
        const int hops = std::min(
            poisson(cfg.move_per_day * c.dt, c.seed, id, c.step, Purpose::kTCellMove), 4 * 1024);
        for (int h = 0; h < hops; ++h) {
          const auto u = uniform4(c.seed, id, c.step, Purpose::kTCellMove, std::uint32_t(h + 1));
          const Voxel w = offset(v, kFaceOffsets[std::size_t(u[0] * 6) % 6]);
          if (inside(l.shape, w) && !matrix_at(l, w)) v = w;
        }
        t.position_um[std::size_t(r)] = centre_of(l, v);
        std::uint8_t& a = t.activated[std::size_t(r)];
        const double u = uniform01(c.seed, id, c.step, Purpose::kTCellSwitch);
        if (u < chance(a ? cfg.deactivation_per_day : cfg.activation_per_day, c.dt)) a = !a;
      },
      256);
}

}  // namespace bonesim
