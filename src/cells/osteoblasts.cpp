#include "bonesim/cells/osteoblasts.hpp"

#include <algorithm>

#include "bonesim/core/parallel.hpp"

namespace bonesim {

namespace {

constexpr float kFull = 0.999f;  // a voxel this full of matrix is refilled

bool refilled(const BoneLattice& l, const Voxel& v) {
  return l.bone(v[0], v[1], v[2]) + l.osteoid(v[0], v[1], v[2]) >= kFull;
}

bool next_to_matrix(const BoneLattice& l, const Voxel& v) {
  return count_faces(l.shape, v, [&](const Voxel& w) { return matrix_at(l, w); }) > 0;
}

Mask occupancy(const Osteoblasts& ob, const BoneLattice& l) {
  Mask m(l.shape, 0);
  for (const Position& p : ob.position_um) {
    const Voxel v = voxel_of(l, p);
    m(v[0], v[1], v[2]) = 1;
  }
  return m;
}

// The last day osteoid was laid in a face neighbour of v (kNever if never).
double last_formed_next_to(const BoneLattice& l, const Voxel& v) {
  double day = kNever;
  count_faces(l.shape, v, [&](const Voxel& w) {
    day = std::max(day, double(l.day_last_formed(w[0], w[1], w[2])));
    return false;
  });
  return day;
}

// Sclerostin factor on recruitment at site v: the response to the highest strain of the
// matrix voxels sharing a face with it (the site's own element may hold no bone).
double formation_factor(const StrainStimulus& s, const BoneLattice& l, const Voxel& v) {
  double strain = 0;
  count_faces(l.shape, v, [&](const Voxel& w) {
    if (matrix_at(l, w)) strain = std::max(strain, s.microstrain(w[0], w[1], w[2]));
    return false;
  });
  return osteocyte_response(*s.sensing, strain).formation;
}

void add_precursor(CellPopulations& cells, const BoneLattice& l, const Voxel& v,
                   std::int32_t event) {
  Osteoblasts& ob = cells.osteoblasts;
  ob.id.push_back(std::uint64_t(cells.next_id++));
  ob.position_um.push_back(centre_of(l, v));
  ob.stage.push_back(std::uint8_t(OsteoblastStage::kPrecursor));
  ob.age_days.push_back(0.0f);
  ob.event.push_back(event);
}

}  // namespace

void recruit_osteoblasts(CellPopulations& cells, const BoneLattice& l, const SignallingFields& f,
                         const OsteoblastConfig& cfg, const StepClock& c,
                         const StrainStimulus* stimulus) {
  const GridShape& g = l.shape;
  const Mask taken = occupancy(cells.osteoblasts, l);
  // Candidate sites per row, gathered in parallel and concatenated in row order.
  std::vector<std::vector<Voxel>> rows(std::size_t(g.ny) * std::size_t(g.nz));
  for_each_row(g, [&](int j, int k) {
    const std::int32_t* event = l.resorption_event.row(j, k);
    auto& out = rows[std::size_t(k) * std::size_t(g.ny) + std::size_t(j)];
    for (int i = 0; i < g.nx; ++i) {
      if (event[i] < 0) continue;
      const Voxel v{i, j, k};
      if (matrix_at(l, v) || taken(i, j, k) || !next_to_matrix(l, v)) continue;
      const double resorbed = l.day_last_resorbed(i, j, k);
      if (c.day_after() - resorbed < cfg.reversal_days) continue;
      if (c.day_after() - std::max(resorbed, last_formed_next_to(l, v)) > cfg.arrest_days) continue;
      const double tgf = field_at(f, &SignallingFields::coupling, v);
      double rate = cfg.recruitment_per_day * tgf / (tgf + cfg.coupling_half_pM);
      if (stimulus) rate *= formation_factor(*stimulus, l, v);
      if (uniform01(c.seed, voxel_key(g, v), c.step, Purpose::kOsteoblastRecruitment) <
          chance(rate, c.dt)) {
        out.push_back(v);
      }
    }
  });
  for (const auto& row : rows) {
    for (const Voxel& v : row) add_precursor(cells, l, v, l.resorption_event(v[0], v[1], v[2]));
  }
  // Modelling-based formation on quiescent surface: marrow voxels outside every pit.
  if (cfg.quiescent_recruitment_per_mm2_per_day <= 0) return;
  Mask busy = taken;
  for_each_surface_trial(l, cfg.quiescent_recruitment_per_mm2_per_day, c,
                         Purpose::kOsteoblastModelling, [&](int, const Voxel& v, const Voxel&) {
                           if (busy(v[0], v[1], v[2]) || l.resorption_event(v[0], v[1], v[2]) >= 0)
                             return;
                           busy(v[0], v[1], v[2]) = 1;
                           add_precursor(cells, l, v, kModellingEvent);
                         });
}

void update_osteoblasts(CellPopulations& cells, BoneLattice& l, const OsteoblastConfig& cfg,
                        const StepClock& c, RemodellingTally& tally) {
  Osteoblasts& ob = cells.osteoblasts;
  const double h = l.voxel_size_um, voxel_um3 = h * h * h;
  const float fill = float(cfg.apposition_um_per_day * c.dt / h);
  Mask taken = occupancy(ob, l);
  std::vector<std::uint8_t> ends(ob.id.size(), 0);
  for (std::size_t r = 0; r < ob.id.size(); ++r) {
    ob.age_days[r] += float(c.dt);
    if (ob.stage[r] == std::uint8_t(OsteoblastStage::kPrecursor)) {
      if (ob.age_days[r] >= cfg.precursor_days)
        ob.stage[r] = std::uint8_t(OsteoblastStage::kActive);
      continue;
    }
    Voxel v = voxel_of(l, ob.position_um[r]);
    float& osteoid = l.osteoid(v[0], v[1], v[2]);
    const float room = std::max(0.0f, 1.0f - l.bone(v[0], v[1], v[2]) - osteoid);
    const float laid = std::min(fill, room);
    if (laid > 0) {
      osteoid += laid;
      l.day_last_formed(v[0], v[1], v[2]) = float(c.day_after());
      float& first = l.day_first_formed(v[0], v[1], v[2]);
      if (first == kNever) first = float(c.day_after());
      tally.formed_um3 += double(laid) * voxel_um3;
    }
    const bool too_old = ob.age_days[r] - cfg.precursor_days > cfg.active_lifespan_days;
    if (!refilled(l, v) && !too_old) continue;
    // Full: move on to a free site of the same pit, if one is next to it.
    bool moved = false;
    const auto u = uniform4(c.seed, ob.id[r], c.step, Purpose::kOsteoblastFate);
    const std::size_t first = std::size_t(u[0] * 6) % 6;
    for (std::size_t n = 0; n < 6 && !too_old; ++n) {
      const Voxel w = offset(v, kFaceOffsets[(first + n) % 6]);
      if (!inside(l.shape, w) || l.resorption_event(w[0], w[1], w[2]) != ob.event[r]) continue;
      if (refilled(l, w) || taken(w[0], w[1], w[2]) || !next_to_matrix(l, w)) continue;
      taken(v[0], v[1], v[2]) = 0;
      taken(w[0], w[1], w[2]) = 1;
      ob.position_um[r] = centre_of(l, w);
      moved = true;
      break;
    }
    // Overflow: a share of the cells whose cavity is refilled (not those too old) fill
    // one marrow voxel next to bone beyond the rim, once (outside the pit, so never again).
    const bool in_pit = l.resorption_event(v[0], v[1], v[2]) == ob.event[r];
    for (std::size_t n = 0; n < 6 && !moved && !too_old && in_pit && u[2] < cfg.overflow_fraction;
         ++n) {
      const Voxel w = offset(v, kFaceOffsets[(first + n) % 6]);
      if (!inside(l.shape, w) || l.resorption_event(w[0], w[1], w[2]) >= 0) continue;
      if (matrix_at(l, w) || taken(w[0], w[1], w[2]) || !next_to_matrix(l, w)) continue;
      taken(v[0], v[1], v[2]) = 0;
      taken(w[0], w[1], w[2]) = 1;
      ob.position_um[r] = centre_of(l, w);
      moved = true;
    }
    if (moved) continue;
    ends[r] = 1;
    taken(v[0], v[1], v[2]) = 0;
    if (u[1] < cfg.osteocyte_fraction) {
      cells.osteocytes.id.push_back(std::uint64_t(cells.next_id++));
      cells.osteocytes.position_um.push_back(centre_of(l, v));
    } else if (u[1] < cfg.osteocyte_fraction + cfg.lining_fraction) {
      ++cells.lining_cells_formed;
    }
  }
  remove_rows(ob, ends);
}

}  // namespace bonesim
