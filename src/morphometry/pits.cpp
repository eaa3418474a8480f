// Resorption pits: labelling by event, then eroded depth, opening, volume and refilling per pit.
// Eriksen E.F. (1986) Endocr Rev 7:379-408 (eroded depth below the old surface); Parfitt A.M.
// et al. (1987) J Bone Miner Res 2:595-610 (names). docs/MODEL.md, "Resorption pits".
#include "bonesim/morphometry/pits.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "bonesim/core/parallel.hpp"
#include "bonesim/fields/components.hpp"
#include "bonesim/morphometry/distance_transform.hpp"

namespace bonesim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Half-width of the first box around a pit for its distance transform; doubled until the
// distances of all pit voxels are known to be exact (typical pits need one pass).
constexpr int kStartMargin = 4;

struct Box {
  int lo[3], hi[3];  // inclusive voxel bounds
};

struct PitInput {
  const BoneLattice& lattice;
  const Field<std::int32_t>& event;
  const Field<std::int32_t>& label;
};

// Whether voxel q is marrow the pit's osteoclasts came from (docs/MODEL.md, "Resorption pits"):
// never-resorbed marrow, or another event's cavity that was open before this pit began and
// has not been refilled since. The pit's own event's voxels never are: they are its cavity.
bool is_source(const PitInput& in, const Pit& pit, Index q) {
  const std::int32_t e = in.event.data[q];
  if (e == pit.event) return false;
  const float bone = in.lattice.bone.data[q];
  if (e < 0) return !is_bone(bone);
  return in.lattice.day_last_resorbed.data[q] < pit.start_day &&
         bone + in.lattice.osteoid.data[q] < kBoneThreshold;
}

// Faces between the pit's voxels and its source marrow, inside the domain.
Index opening_faces(const PitInput& in, const Pit& pit, const Box& b) {
  const GridShape& g = in.lattice.shape;
  const Index step[3] = {1, g.sx, g.sxy};
  Index faces = 0;
  for (int k = b.lo[2]; k <= b.hi[2]; ++k) {
    for (int j = b.lo[1]; j <= b.hi[1]; ++j) {
      for (int i = b.lo[0]; i <= b.hi[0]; ++i) {
        const Index q = g.index(i, j, k);
        if (in.label.data[q] != pit.label) continue;
        const int x[3] = {i, j, k}, n[3] = {g.nx, g.ny, g.nz};
        for (int a = 0; a < 3; ++a) {
          if (x[a] > 0 && is_source(in, pit, q - step[a])) ++faces;
          if (x[a] + 1 < n[a] && is_source(in, pit, q + step[a])) ++faces;
        }
      }
    }
  }
  return faces;
}

// Largest squared centre-to-centre distance (voxel units) from a pit voxel to its nearest
// source-marrow voxel, or -1 when the domain holds no source marrow. The exact distance
// transform runs on the pit's bounding box grown by a margin; a distance found there is exact
// when no voxel outside the box can be nearer, else the margin doubles.
std::int64_t deepest_squared_distance(const PitInput& in, const Pit& pit, const Box& pit_box) {
  const GridShape& g = in.lattice.shape;
  const int n[3] = {g.nx, g.ny, g.nz};
  for (int margin = kStartMargin;; margin *= 2) {
    Box b;
    bool whole = true;  // the box covers the domain: nothing lies outside it
    for (int a = 0; a < 3; ++a) {
      b.lo[a] = std::max(0, pit_box.lo[a] - margin);
      b.hi[a] = std::min(n[a] - 1, pit_box.hi[a] + margin);
      whole = whole && b.lo[a] == 0 && b.hi[a] == n[a] - 1;
    }
    Mask m(GridShape::make(b.hi[0] - b.lo[0] + 1, b.hi[1] - b.lo[1] + 1, b.hi[2] - b.lo[2] + 1));
    for (int k = b.lo[2]; k <= b.hi[2]; ++k) {
      for (int j = b.lo[1]; j <= b.hi[1]; ++j) {
        std::uint8_t* row = m.row(j - b.lo[1], k - b.lo[2]);
        for (int i = b.lo[0]; i <= b.hi[0]; ++i) {
          row[i - b.lo[0]] = is_source(in, pit, g.index(i, j, k)) ? 0 : 1;
        }
      }
    }
    const Field<std::int32_t> d2 = squared_distance_transform(m, 1);
    std::int64_t deepest = 0;
    bool exact = true;
    for (int k = pit_box.lo[2]; k <= pit_box.hi[2] && exact; ++k) {
      for (int j = pit_box.lo[1]; j <= pit_box.hi[1] && exact; ++j) {
        for (int i = pit_box.lo[0]; i <= pit_box.hi[0]; ++i) {
          if (in.label(i, j, k) != pit.label) continue;
          const std::int32_t d = d2(i - b.lo[0], j - b.lo[1], k - b.lo[2]);
          if (d == kNoFeature) {
            if (whole) return -1;  // no source marrow anywhere
            exact = false;
            break;
          }
          // Any voxel beyond a box face that is not a domain face lies at least this far.
          const int x[3] = {i, j, k};
          std::int64_t reach = std::numeric_limits<std::int64_t>::max();
          for (int a = 0; a < 3; ++a) {
            if (b.lo[a] > 0) reach = std::min<std::int64_t>(reach, x[a] - b.lo[a] + 1);
            if (b.hi[a] < n[a] - 1) reach = std::min<std::int64_t>(reach, b.hi[a] - x[a] + 1);
          }
          if (!whole && d > reach * reach) {
            exact = false;
            break;
          }
          deepest = std::max<std::int64_t>(deepest, d);
        }
      }
    }
    if (exact) return deepest;
  }
}

// What one serial pass over the pit voxels gathers for each pit.
struct Tally {
  Box box;
  double refilled_sum = 0;
};

}  // namespace

PitAnalysis analyse_pits(const BoneLattice& lattice, const Field<std::int32_t>& resorption_event) {
  const GridShape& g = lattice.shape;
  if (!(resorption_event.shape == g)) {
    throw std::invalid_argument("pits: resorption_event shape differs from the lattice");
  }
  if (g.voxel_count() > std::numeric_limits<std::int32_t>::max()) {
    throw std::invalid_argument("pits: lattice has more than 2^31 - 1 voxels");
  }
  const Field<std::int32_t>& ev = resorption_event;
  // Faces join two voxels of the same event.
  const bool no_wrap[3] = {false, false, false};
  std::vector<std::int32_t> root = label_components(g, no_wrap, [&](int i, int j, int k, int a) {
    const std::int32_t e = ev(i, j, k);
    return e >= 0 && ev(i + (a == 0), j + (a == 1), k + (a == 2)) == e;
  });

  // One ascending pass: a component's root (its smallest voxel) comes first and is numbered
  // in order, and every later voxel reads the number through its root.
  PitAnalysis out;
  out.label = Field<std::int32_t>(g, -1);
  std::vector<Tally> tally;
  const double h = lattice.voxel_size_um;
  std::size_t v = 0;
  for (int k = 0; k < g.nz; ++k) {
    for (int j = 0; j < g.ny; ++j) {
      for (int i = 0; i < g.nx; ++i, ++v) {
        const Index q = g.index(i, j, k);
        const std::int32_t e = ev.data[q];
        if (e < 0) continue;
        std::int32_t id;
        if (root[v] == std::int32_t(v)) {
          id = std::int32_t(out.pits.size());
          Pit p;
          p.event = e;
          p.label = id;
          p.start_day = p.end_day = kNaN;
          p.formation_start_day = p.formation_end_day = kNaN;
          out.pits.push_back(p);
          tally.push_back(Tally{{{i, j, k}, {i, j, k}}});
        } else {
          id = root[std::size_t(root[v])];
        }
        root[v] = id;
        out.label.data[q] = id;
        Pit& p = out.pits[std::size_t(id)];
        Tally& t = tally[std::size_t(id)];
        ++p.voxels;
        const int x[3] = {i, j, k};
        for (int a = 0; a < 3; ++a) {
          t.box.lo[a] = std::min(t.box.lo[a], x[a]);
          t.box.hi[a] = std::max(t.box.hi[a], x[a]);
        }
        const double day = lattice.day_last_resorbed.data[q];
        if (day >= 0) {
          p.start_day = std::isnan(p.start_day) ? day : std::min(p.start_day, day);
          p.end_day = std::isnan(p.end_day) ? day : std::max(p.end_day, day);
        }
        const double first = lattice.day_first_formed.data[q];
        if (first >= 0) {
          p.formation_start_day =
              std::isnan(p.formation_start_day) ? first : std::min(p.formation_start_day, first);
        }
        const double last = lattice.day_last_formed.data[q];
        if (last >= 0) {
          p.formation_end_day =
              std::isnan(p.formation_end_day) ? last : std::max(p.formation_end_day, last);
        }
        t.refilled_sum +=
            std::min(1.0, double(lattice.bone.data[q]) + double(lattice.osteoid.data[q]));
      }
    }
  }

  const PitInput in{lattice, ev, out.label};
  parallel_for(0, Index(out.pits.size()), [&](Index n) {
    Pit& p = out.pits[std::size_t(n)];
    const Tally& t = tally[std::size_t(n)];
    p.volume_um3 = double(p.voxels) * h * h * h;
    p.refilled_fraction = t.refilled_sum / double(p.voxels);
    p.area_um2 = double(opening_faces(in, p, t.box)) * h * h;
    const std::int64_t d2 = deepest_squared_distance(in, p, t.box);
    p.eroded_depth_um = d2 < 0 ? kNaN : h * std::sqrt(double(d2));
  });
  return out;
}

PitSummary summarize_pits(const std::vector<Pit>& pits, double completed_refill) {
  PitSummary s;
  s.count = Index(pits.size());
  std::vector<double> depths;
  double volume = 0, area = 0, days = 0, refilled = 0, volume_days = 0, timed_volume = 0;
  double reversal = 0, formation = 0, wall = 0;
  Index timed = 0, reversed = 0, formed = 0, walled = 0;
  for (const Pit& p : pits) {
    const bool completed = p.refilled_fraction >= completed_refill;
    if (completed) ++s.completed_count;
    if (!std::isnan(p.formation_start_day) && !std::isnan(p.end_day)) {
      reversal += p.formation_start_day - p.end_day;
      ++reversed;
    }
    if (completed && !std::isnan(p.formation_start_day) && !std::isnan(p.formation_end_day)) {
      formation += p.formation_end_day - p.formation_start_day;
      ++formed;
    }
    if (completed && !std::isnan(p.eroded_depth_um)) {
      wall += p.eroded_depth_um * std::min(1.0, p.refilled_fraction);
      ++walled;
    }
    volume += p.volume_um3;
    area += p.area_um2;
    refilled += p.refilled_fraction;
    if (!std::isnan(p.eroded_depth_um)) depths.push_back(p.eroded_depth_um);
    if (!std::isnan(p.start_day) && !std::isnan(p.end_day)) {
      days += p.end_day - p.start_day;
      volume_days += (p.end_day - p.start_day) * p.volume_um3;
      timed_volume += p.volume_um3;
      ++timed;
    }
  }
  s.total_volume_um3 = volume;
  s.total_area_um2 = area;
  if (s.count > 0) {
    s.mean_volume_um3 = volume / double(s.count);
    s.mean_area_um2 = area / double(s.count);
    s.mean_refilled_fraction = refilled / double(s.count);
  }
  if (timed > 0) s.mean_resorption_days = days / double(timed);
  if (timed_volume > 0) s.volume_weighted_resorption_days = volume_days / timed_volume;
  if (reversed > 0) s.mean_reversal_days = reversal / double(reversed);
  if (formed > 0) s.mean_formation_days = formation / double(formed);
  if (walled > 0) s.mean_wall_thickness_um = wall / double(walled);
  if (!depths.empty()) {
    double sum = 0;
    for (double d : depths) sum += d;
    s.mean_eroded_depth_um = sum / double(depths.size());
    std::sort(depths.begin(), depths.end());
    const std::size_t m = depths.size() / 2;
    s.median_eroded_depth_um =
        depths.size() % 2 == 1 ? depths[m] : 0.5 * (depths[m - 1] + depths[m]);
    s.max_eroded_depth_um = depths.back();
  }
  return s;
}

}  // namespace bonesim
