// Local thickness by painting the spheres of the distance ridge.
// Hildebrand T., Rueegsegger P. (1997) A new method for the model-independent assessment of
// thickness in three-dimensional images. J Microsc 185:67-75. docs/MODEL.md, "Morphometry".
//
// Every voxel p of the phase is the centre of the voxel ball {x : |x - p|^2 < r2(p)}, r2 the
// squared distance to the other phase, with thickness 2 sqrt(r2) - 0.5; a voxel's local
// thickness is the largest thickness among the balls that hold it. Balls that change no
// maximum are dropped before painting, always by exact containment of voxel sets, so the
// result equals painting every ball:
//  1. the distance ridge: a ball inside a 26-neighbour's ball (which is larger) is dropped;
//  2. per output plane, each ridge ball cuts a disc; per pixel only discs that no other disc
//     of the pixel dominates (radius and thickness) are kept, and a disc inside an
//     8-neighbour's disc of no lower thickness is dropped;
//  3. the remaining discs are painted row by row as x-spans taking the max of the balls'
//     squared radii (16-bit where they fit: 8 lanes per vector max), then mapped to
//     thickness.
// Each output plane is one task and max is order-independent, so the result does not depend
// on the thread count.
#include "bonesim/morphometry/local_thickness.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "bonesim/core/parallel.hpp"
#include "bonesim/morphometry/distance_transform.hpp"

namespace bonesim {

namespace {

struct Centre {
  int x, y;
  std::int32_t r2;  // squared distance to the other phase (voxel units)
};

// The cut of a ball with a plane. Thickness grows with the ball's radius, so discs and
// painted voxels carry the ball's squared radius and thickness is looked up at the end.
struct Disc {
  std::int32_t r2;       // squared radius in the plane; 0 marks an empty slot
  std::int32_t ball_r2;  // squared radius of the ball
};

float thickness_of(std::int32_t r2) {
  return float(2.0 * std::sqrt(double(r2)) - 0.5);
}

// floor(sqrt(v)) for v in [0, max_v].
std::vector<int> isqrt_table(std::int32_t max_v) {
  std::vector<int> t(std::size_t(max_v) + 1);
  for (Index v = 0, s = 0; v <= max_v; ++v) {
    while ((s + 1) * (s + 1) <= v) ++s;
    t[v] = int(s);
  }
  return t;
}

// need[r2]: the least squared radius a ball (dims = 3) or disc (dims = 2) centred at offset e
// must have to hold every voxel x with |x|^2 < r2, i.e. 1 + max |x - e|^2. The symmetries of
// the lattice map the ball onto itself, so e = (e0, e1, e2) with e0 >= 1 stands for its whole
// class; for fixed (x1, x2) the maximum takes x0 = -floor(sqrt(r2 - 1 - x1^2 - x2^2)).
// Above kExactLimit the continuous bound (sqrt(r2 - 1) + |e|)^2 keeps the table cheap; it
// never drops a needed ball, it only keeps a few more.
constexpr std::int32_t kExactLimit = 4096;

std::vector<std::int32_t> containment_table(int dims, const int (&e)[3], std::int32_t max_r2,
                                            const std::vector<int>& isqrt) {
  const int e_len2 = e[0] * e[0] + e[1] * e[1] + e[2] * e[2];
  std::vector<std::int32_t> need(std::size_t(max_r2) + 1, 0);
  parallel_for(
      1, Index(max_r2) + 1,
      [&](Index rr) {
        const std::int32_t r2 = std::int32_t(rr);
        if (r2 > kExactLimit) {
          const double reach = std::sqrt(double(r2 - 1)) + std::sqrt(double(e_len2));
          need[rr] = std::int32_t(std::floor(reach * reach)) + 1;
          return;
        }
        std::int32_t best = 0;
        const int s1 = isqrt[r2 - 1];
        for (int x1 = -s1; x1 <= s1; ++x1) {
          const int s2 = dims == 3 ? isqrt[r2 - 1 - x1 * x1] : 0;
          for (int x2 = -s2; x2 <= s2; ++x2) {
            const int h = isqrt[r2 - 1 - x1 * x1 - x2 * x2];
            best = std::max(
                best, h * h + 2 * e[0] * h + x1 * x1 - 2 * e[1] * x1 + x2 * x2 - 2 * e[2] * x2);
          }
        }
        need[rr] = best + e_len2 + 1;
      },
      16);
  return need;
}

// Containment thresholds by neighbour class (number of non-zero offset components - 1).
struct Containment {
  std::vector<std::int32_t> ball[3];  // 26 neighbours: axis, face and space diagonals
  std::vector<std::int32_t> disc[2];  // 8 neighbours in a plane: axis and diagonal
};

Containment containment_tables(std::int32_t max_r2, const std::vector<int>& isqrt) {
  constexpr int kAxis[3] = {1, 0, 0}, kFace[3] = {1, 1, 0}, kSpace[3] = {1, 1, 1};
  return {{containment_table(3, kAxis, max_r2, isqrt), containment_table(3, kFace, max_r2, isqrt),
           containment_table(3, kSpace, max_r2, isqrt)},
          {containment_table(2, kAxis, max_r2, isqrt), containment_table(2, kFace, max_r2, isqrt)}};
}

// False if the ball of (i, j, k) lies inside the ball of one of its 26 neighbours.
bool on_ridge(const Field<std::int32_t>& d2, const Containment& c, int i, int j, int k) {
  const GridShape& g = d2.shape;
  const std::int32_t r2 = d2(i, j, k);
  const std::int32_t need[3] = {c.ball[0][r2], c.ball[1][r2], c.ball[2][r2]};
  for (int dz = -1; dz <= 1; ++dz) {
    const int z = k + dz;
    if (z < 0 || z >= g.nz) continue;
    for (int dy = -1; dy <= 1; ++dy) {
      const int y = j + dy;
      if (y < 0 || y >= g.ny) continue;
      const std::int32_t* row = d2.row(y, z);
      for (int dx = -1; dx <= 1; ++dx) {
        const int x = i + dx, cls = dx * dx + dy * dy + dz * dz - 1;
        if (cls >= 0 && x >= 0 && x < g.nx && row[x] >= need[cls]) return false;
      }
    }
  }
  return true;
}

constexpr int kFront = 3;  // discs kept per pixel; more are painted at once

// Keeps d in the pixel's front unless a kept disc dominates it; false if the front is full.
bool insert(Disc* front, Disc d) {
  for (int s = 0; s < kFront; ++s) {
    if (front[s].r2 >= d.r2 && front[s].ball_r2 >= d.ball_r2) return true;
  }
  for (int s = 0; s < kFront; ++s) {
    if (d.r2 >= front[s].r2 && d.ball_r2 >= front[s].ball_r2) front[s].r2 = 0;
  }
  for (int s = 0; s < kFront; ++s) {
    if (front[s].r2 == 0) {
      front[s] = d;
      return true;
    }
  }
  return false;
}

// Paints the disc of squared radius r2 about (cx, cy) into an nx x ny plane of ball radii:
// |dx| <= sqrt(r2 - dy^2 - 1). T is int16_t where the radii fit (8 lanes per SSE2 max).
template <class T>
void paint(T* plane, int nx, int ny, int cx, int cy, Disc d, const std::vector<int>& isqrt) {
  const int hy = isqrt[d.r2 - 1];
  const int y0 = std::max(0, cy - hy), y1 = std::min(ny - 1, cy + hy);
  const T v = T(d.ball_r2);
  for (int y = y0; y <= y1; ++y) {
    const int hx = isqrt[d.r2 - 1 - (y - cy) * (y - cy)];
    const int x0 = std::max(0, cx - hx), x1 = std::min(nx - 1, cx + hx);
    T* row = plane + Index(y) * nx;
    for (int x = x0; x <= x1; ++x) row[x] = std::max(row[x], v);
  }
}

// Steps 2 and 3 for plane k (see the top of the file); returns the plane of ball radii.
template <class T>
std::vector<T> paint_plane(const GridShape& g, int k, int reach,
                           const std::vector<std::vector<Centre>>& centres,
                           const std::vector<std::int32_t>& plane_max_r2,
                           const Containment& contain, const std::vector<int>& isqrt) {
  std::vector<T> plane(std::size_t(g.nx) * g.ny, T(0));
  // 2. The discs the ridge balls cut from plane k, by pixel.
  std::vector<Disc> fronts(std::size_t(g.nx) * g.ny * kFront, Disc{0, 0});
  auto front = [&](int x, int y) { return fronts.data() + (Index(y) * g.nx + x) * kFront; };
  for (int cz = std::max(0, k - reach); cz <= std::min(g.nz - 1, k + reach); ++cz) {
    const std::int32_t dz2 = (k - cz) * (k - cz);
    if (dz2 >= plane_max_r2[cz]) continue;
    for (const Centre& c : centres[cz]) {
      const Disc d{c.r2 - dz2, c.r2};
      if (d.r2 > 0 && !insert(front(c.x, c.y), d))
        paint(plane.data(), g.nx, g.ny, c.x, c.y, d, isqrt);
    }
  }
  // 3. Paint the discs not held by an 8-neighbour's disc of no smaller ball (the
  // neighbour's disc is strictly larger, so chains of drops end at a painted disc).
  for (int y = 0; y < g.ny; ++y) {
    for (int x = 0; x < g.nx; ++x) {
      for (int s = 0; s < kFront; ++s) {
        const Disc d = front(x, y)[s];
        if (d.r2 == 0) continue;
        const std::int32_t need[2] = {contain.disc[0][d.r2], contain.disc[1][d.r2]};
        bool held = false;
        for (int dy = -1; dy <= 1 && !held; ++dy) {
          for (int dx = -1; dx <= 1 && !held; ++dx) {
            const int px = x + dx, py = y + dy, cls = dx * dx + dy * dy - 1;
            if (cls < 0 || px < 0 || py < 0 || px >= g.nx || py >= g.ny) continue;
            for (int t = 0; t < kFront; ++t) {
              const Disc n = front(px, py)[t];
              held |= n.r2 >= need[cls] && n.ball_r2 >= d.ball_r2;
            }
          }
        }
        if (!held) paint(plane.data(), g.nx, g.ny, x, y, d, isqrt);
      }
    }
  }
  return plane;
}

}  // namespace

Field<float> local_thickness_from_distance(const Field<std::int32_t>& d2) {
  const GridShape& g = d2.shape;
  Field<float> out(g, 0.0f);
  if (d2(0, 0, 0) == kNoFeature) {  // the other phase is absent: every voxel is unbounded
    std::fill(out.data.begin(), out.data.end(), std::numeric_limits<float>::infinity());
    return out;
  }
  std::vector<std::int32_t> plane_max_r2(g.nz, 0);
  parallel_for(0, g.nz, [&](Index k) {
    for (int j = 0; j < g.ny; ++j) {
      const std::int32_t* row = d2.row(j, int(k));
      for (int i = 0; i < g.nx; ++i) plane_max_r2[k] = std::max(plane_max_r2[k], row[i]);
    }
  });
  const std::int32_t max_r2 = *std::max_element(plane_max_r2.begin(), plane_max_r2.end());
  const std::vector<int> isqrt = isqrt_table(max_r2);
  const Containment contain = containment_tables(max_r2, isqrt);
  const int reach = isqrt[max_r2];

  // 1. Ridge centres bucketed by z (each plane filled by one task, in row order).
  std::vector<std::vector<Centre>> centres(g.nz);
  parallel_for(0, g.nz, [&](Index kk) {
    const int k = int(kk);
    for (int j = 0; j < g.ny; ++j) {
      const std::int32_t* row = d2.row(j, k);
      for (int i = 0; i < g.nx; ++i) {
        if (row[i] == 0 || !on_ridge(d2, contain, i, j, k)) continue;
        centres[k].push_back({i, j, row[i]});
      }
    }
  });

  std::vector<float> thickness(std::size_t(max_r2) + 1, 0.0f);
  for (std::int32_t r2 = 1; r2 <= max_r2; ++r2) thickness[r2] = thickness_of(r2);
  parallel_for(0, g.nz, [&](Index kk) {
    const int k = int(kk);
    auto store = [&](const auto& plane) {
      for (int j = 0; j < g.ny; ++j) {
        float* row = out.row(j, k);
        for (int i = 0; i < g.nx; ++i) row[i] = thickness[plane[Index(j) * g.nx + i]];
      }
    };
    if (max_r2 <= std::numeric_limits<std::int16_t>::max()) {
      store(paint_plane<std::int16_t>(g, k, reach, centres, plane_max_r2, contain, isqrt));
    } else {
      store(paint_plane<std::int32_t>(g, k, reach, centres, plane_max_r2, contain, isqrt));
    }
  });
  return out;
}

Field<float> local_thickness(const Mask& mask, std::uint8_t phase) {
  return local_thickness_from_distance(squared_distance_transform(mask, phase));
}

double mean_local_thickness(const Mask& mask, std::uint8_t phase) {
  const GridShape& g = mask.shape;
  const bool ph = phase != 0;
  const long long count = deterministic_row_sum<long long>(g, [&](int j, int k) {
    const std::uint8_t* m = mask.row(j, k);
    long long n = 0;
    for (int i = 0; i < g.nx; ++i) n += (m[i] != 0) == ph;
    return n;
  });
  if (count == 0 || count == g.voxel_count()) return std::numeric_limits<double>::quiet_NaN();
  const Field<float> lt = local_thickness(mask, phase);
  const double sum = deterministic_row_sum<double>(g, [&](int j, int k) {
    const float* t = lt.row(j, k);
    double s = 0;
    for (int i = 0; i < g.nx; ++i) s += t[i];  // 0 on the other phase
    return s;
  });
  return sum / double(count);
}

}  // namespace bonesim
