#include "bonesim/cells/osteoclasts.hpp"

#include <cmath>
#include <limits>

namespace bonesim {

namespace {

double distance2(const Position& a, const Position& b) {
  double s = 0;
  for (std::size_t d = 0; d < 3; ++d) s += (a[d] - b[d]) * (a[d] - b[d]);
  return s;
}

Position normalised(const Position& p) {
  const double n = std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
  return n > 0 ? Position{p[0] / n, p[1] / n, p[2] / n} : Position{1, 0, 0};
}

// Index of the nearest osteoclast within radius_um satisfying ok(row), or -1.
template <class Ok>
long nearest_osteoclast(const Osteoclasts& oc, const Position& p, double radius_um, Ok&& ok) {
  long best = -1;
  double best_d2 = radius_um * radius_um;
  for (std::size_t r = 0; r < oc.id.size(); ++r) {
    const double d2 = distance2(oc.position_um[r], p);
    if (d2 <= best_d2 && ok(r) && (best < 0 || d2 < best_d2)) best = long(r), best_d2 = d2;
  }
  return best;
}

// Layers below the old surface a bone voxel w would lie at if `event` resorbed it: one
// more than the shallowest marrow next to it, where marrow of this event's pit counts
// its own depth and any other marrow (the old surface, other pits) counts 0.
int depth_if_resorbed(const BoneLattice& l, const Voxel& w, std::int32_t event) {
  int depth = 256;
  for (const auto& d : kFaceOffsets) {
    const Voxel m = offset(w, d);
    if (!inside(l.shape, m) || matrix_at(l, m)) continue;
    const bool same_pit = l.resorption_event(m[0], m[1], m[2]) == event;
    depth = std::min(depth, same_pit ? int(l.resorption_depth(m[0], m[1], m[2])) : 0);
  }
  return depth + 1;
}

struct Target {
  long face = -1;  // index into kFaceOffsets, -1 = none
  int depth = 0;
  double score = -std::numeric_limits<double>::infinity();
};

// The bone face neighbour of v to resorb next: within the depth limit, deeper first
// (a model choice: a cell digs its pit to its depth before it spreads; docs/MODEL.md),
// then along the heading, ties broken by the jitter u.
Target best_target(const BoneLattice& l, const Voxel& v, std::int32_t event, double max_depth_um,
                   const Position& heading, const std::array<double, 4>& u) {
  Target best;
  const double h = l.voxel_size_um;
  for (std::size_t d = 0; d < 6; ++d) {
    const Voxel w = offset(v, kFaceOffsets[d]);
    if (!inside(l.shape, w) || !bone_at(l, w)) continue;
    const int depth = depth_if_resorbed(l, w, event);
    if ((depth - 0.5) * h > max_depth_um) continue;
    const auto& o = kFaceOffsets[d];
    const double score =
        2.0 * depth + heading[0] * o[0] + heading[1] * o[1] + heading[2] * o[2] + 0.25 * u[d % 4];
    if (score > best.score) best = {long(d), depth, score};
  }
  return best;
}

}  // namespace

void fuse_into_osteoclasts(CellPopulations& cells, const std::vector<Voxel>& fusing,
                           const BoneLattice& l, const OsteoclastConfig& cfg, const StepClock& c) {
  Osteoclasts& oc = cells.osteoclasts;
  for (const Voxel& v : fusing) {
    const Position p = centre_of(l, v);
    const long host = nearest_osteoclast(
        oc, p, cfg.fusion_radius_um, [&](std::size_t r) { return oc.nuclei[r] < cfg.max_nuclei; });
    if (host >= 0) {
      ++oc.nuclei[std::size_t(host)];
      continue;
    }
    const long bmu = nearest_osteoclast(oc, p, cfg.bmu_radius_um, [](std::size_t) { return true; });
    const std::uint64_t id = std::uint64_t(cells.next_id++);
    const auto u = uniform4(c.seed, id, c.step, Purpose::kOsteoclastFate, 1);
    const double normal =
        std::sqrt(-2.0 * std::log(u[0])) * std::cos(2.0 * 3.14159265358979323846 * u[1]);
    oc.id.push_back(id);
    oc.position_um.push_back(p);
    oc.nuclei.push_back(cfg.initial_nuclei);
    oc.age_days.push_back(0.0f);
    oc.event.push_back(bmu >= 0 ? oc.event[std::size_t(bmu)] : std::int32_t(cells.next_event++));
    oc.max_depth_um.push_back(
        float(cfg.max_depth_median_um * std::exp(cfg.max_depth_spread * normal)));
    oc.credit_um3.push_back(0.0f);
    oc.heading.push_back(random_direction(u[2], u[3]));
  }
}

void update_osteoclasts(Osteoclasts& oc, BoneLattice& l, SignallingFields& f,
                        const FieldsConfig& fields, const OsteoclastConfig& cfg, const StepClock& c,
                        RemodellingTally& tally) {
  const double h = l.voxel_size_um, voxel_um3 = h * h * h;
  const GridShape& g = l.shape;
  std::vector<std::uint8_t> dies(oc.id.size(), 0);
  for (std::size_t r = 0; r < oc.id.size(); ++r) {
    const std::uint64_t id = oc.id[r];
    Voxel v = voxel_of(l, oc.position_um[r]);
    oc.age_days[r] += float(c.dt);
    const double occ = occupancy_at(f, fields, v);
    const double death = (2.0 / cfg.lifespan_days) / (1.0 + occ / cfg.survival_half_occupancy);
    if (uniform01(c.seed, id, c.step, Purpose::kOsteoclastFate) < chance(death, c.dt)) {
      dies[r] = 1;
      continue;
    }
    const double gain = oc.nuclei[r] * cfg.resorption_um3_per_nucleus_day * c.dt;
    // Capacity does not pile up while the cell has nothing to resorb.
    double credit = std::min(double(oc.credit_um3[r]) + gain, gain + voxel_um3);
    Position& heading = oc.heading[r];
    const std::int32_t event = oc.event[r];
    for (std::uint32_t tries = 0; tries < 16; ++tries) {
      const auto u = uniform4(c.seed, id, c.step, Purpose::kOsteoclastTarget, tries);
      const Target target = best_target(l, v, event, oc.max_depth_um[r], heading, u);
      if (target.face >= 0) {
        const Voxel w = offset(v, kFaceOffsets[std::size_t(target.face)]);
        const double volume = (l.bone(w[0], w[1], w[2]) + l.osteoid(w[0], w[1], w[2])) * voxel_um3;
        if (credit < volume) break;  // more next step
        credit -= volume;
        tally.resorbed_um3 += volume;
        l.bone(w[0], w[1], w[2]) = 0.0f;
        l.osteoid(w[0], w[1], w[2]) = 0.0f;
        l.day_last_resorbed(w[0], w[1], w[2]) = float(c.day_after());
        l.day_first_formed(w[0], w[1], w[2]) = kNever;
        l.resorption_event(w[0], w[1], w[2]) = event;
        l.resorption_depth(w[0], w[1], w[2]) = std::uint8_t(std::min(target.depth, 255));
        field_at(f, &SignallingFields::coupling, w) +=
            float(cfg.coupling_release_pM_per_voxel / std::pow(double(f.coarsening), 3));
        continue;
      }
      // Nothing within reach: step to a surface voxel among the 26 neighbours: one with
      // the deepest bone to resorb first, across a face rather than an edge or corner (so
      // an event's pit stays one connected cavity), then the one most nearly ahead; turn
      // partly towards it (persistence).
      long step_to = -1;
      double best = -std::numeric_limits<double>::infinity();
      for (int code = 0; code < 27; ++code) {
        if (code == 13) continue;
        const std::array<int, 3> o{code % 3 - 1, (code / 3) % 3 - 1, code / 9 - 1};
        const Voxel w = offset(v, o);
        if (!inside(g, w) || !on_bone_surface(l, w)) continue;
        const Position dir = normalised({double(o[0]), double(o[1]), double(o[2])});
        const auto uw = uniform4(c.seed, id, c.step, Purpose::kOsteoclastTarget,
                                 1024 + tries * 32 + std::uint32_t(code));
        const Target there = best_target(l, w, event, oc.max_depth_um[r], heading, uw);
        const bool across_face = std::abs(o[0]) + std::abs(o[1]) + std::abs(o[2]) == 1;
        const double score = (there.face >= 0 ? 2.0 + 2.0 * there.depth : 0.0) +
                             (across_face ? 1.0 : 0.0) + heading[0] * dir[0] + heading[1] * dir[1] +
                             heading[2] * dir[2] + 0.5 * uw[0];
        if (score > best) best = score, step_to = code;
      }
      if (step_to < 0) break;
      const std::array<int, 3> o{int(step_to) % 3 - 1, (int(step_to) / 3) % 3 - 1,
                                 int(step_to) / 9 - 1};
      v = offset(v, o);
      const Position dir = normalised({double(o[0]), double(o[1]), double(o[2])});
      heading = normalised({0.7 * heading[0] + 0.3 * dir[0], 0.7 * heading[1] + 0.3 * dir[1],
                            0.7 * heading[2] + 0.3 * dir[2]});
      if (credit < voxel_um3 * 0.5) break;  // a step costs the rest of the time
    }
    oc.credit_um3[r] = float(credit);
    oc.position_um[r] = centre_of(l, v);
  }
  remove_rows(oc, dies);
}

}  // namespace bonesim
