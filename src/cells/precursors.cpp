#include "bonesim/cells/precursors.hpp"

#include "bonesim/core/parallel.hpp"

namespace bonesim {

void supply_precursors(CellPopulations& cells, const BoneLattice& l, const PrecursorConfig& cfg,
                       const StepClock& c, const StrainStimulus* stimulus) {
  // Targeting: (1 + gain) times the trials, each kept with probability (1 + gain d) /
  // (1 + gain), so a face without disuse keeps the plain supply.
  const double gain = stimulus ? stimulus->sensing->targeting_gain : 0.0;
  for_each_surface_trial(l, cfg.supply_per_mm2_per_day * (1 + gain), c, Purpose::kPrecursorArrival,
                         [&](int t, const Voxel& v, const Voxel& w) {
                           if (gain > 0) {
                             const double d = disuse_depth(*stimulus->sensing,
                                                           stimulus->microstrain(w[0], w[1], w[2]));
                             const double keep = (1 + gain * d) / (1 + gain);
                             // The acceptance draw is the trial's own stream with id 1 (arrivals
                             // use id 0).
                             if (uniform4(c.seed, 1, c.step, Purpose::kPrecursorArrival,
                                          std::uint32_t(t + 1))[0] >= keep)
                               return;
                           }
                           cells.precursors.id.push_back(std::uint64_t(cells.next_id++));
                           cells.precursors.position_um.push_back(centre_of(l, v));
                           cells.precursors.age_days.push_back(0.0f);
                         });
}

std::vector<Voxel> update_precursors(Precursors& p, const BoneLattice& l, const SignallingFields& f,
                                     const FieldsConfig& fields, const PrecursorConfig& cfg,
                                     const StepClock& c) {
  enum Fate : std::uint8_t { kStays = 0, kDies = 1, kFuses = 2 };
  std::vector<std::uint8_t> fate(p.id.size(), kStays);
  parallel_for(
      0, Index(p.id.size()),
      [&](Index row) {
        const std::size_t r = std::size_t(row);
        const auto u = uniform4(c.seed, p.id[r], c.step, Purpose::kPrecursorFate);
        p.age_days[r] += float(c.dt);
        Voxel v = voxel_of(l, p.position_um[r]);
        if (u[0] < chance(1.0 / cfg.lifespan_days, c.dt) || !on_bone_surface(l, v)) {
          fate[r] = kDies;  // also when its surface was resorbed or filled under it
          return;
        }
        if (u[1] < chance(cfg.move_per_day, c.dt)) {
          const int n = int(u[2] * 26) % 26;    // one of the 26 neighbours
          const int code = n < 13 ? n : n + 1;  // skip the centre (code 13)
          const Voxel w{v[0] + code % 3 - 1, v[1] + (code / 3) % 3 - 1, v[2] + code / 9 - 1};
          if (inside(l.shape, w) && on_bone_surface(l, w)) {
            v = w;
            p.position_um[r] = centre_of(l, v);
          }
        }
        const double occ = occupancy_at(f, fields, v);
        const double rate = cfg.fusion_per_day * occ / (occ + cfg.fusion_half_occupancy);
        if (u[3] < chance(rate, c.dt)) fate[r] = kFuses;
      },
      64);
  std::vector<Voxel> fused;
  for (std::size_t r = 0; r < p.id.size(); ++r) {
    if (fate[r] == kFuses) fused.push_back(voxel_of(l, p.position_um[r]));
  }
  remove_rows(p, fate);
  return fused;
}

}  // namespace bonesim
