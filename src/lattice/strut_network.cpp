#include "bonesim/lattice/strut_network.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "bonesim/core/random.hpp"

namespace bonesim {

namespace {

// Draw streams under Purpose::kLatticeGeometry, told apart by the step field.
constexpr std::uint32_t kStepOffset = 0;  // global shift of the lattice (id 0)
constexpr std::uint32_t kStepJitter = 1;  // node displacement (id = node key)
constexpr std::uint32_t kStepSite = 2;    // strut present or not (id = node key * 8 + site)
constexpr std::uint32_t kStepCount = 3;   // rounding of the struts per node (id as kStepSite)

// Strut sites owned by the node at (a, b, c): the three edges towards +x, +y, +z and
// the three faces spanned by two of those edges.
enum Site : int { kEdgeX = 0, kEdgeY, kEdgeZ, kFaceXY, kFaceXZ, kFaceYZ, kSiteCount };

constexpr int kKeyBias = 1 << 19;  // node coordinates are 20-bit fields of the key

struct Lattice {
  std::array<int, 3> lo{}, n{};  // lowest node coordinate and node count per axis
  std::uint64_t seed = 0;

  int index(int a, int b, int c) const {
    return ((c - lo[2]) * n[1] + (b - lo[1])) * n[0] + (a - lo[0]);
  }
  bool contains(int a, int b, int c) const {
    return a >= lo[0] && b >= lo[1] && c >= lo[2] && a < lo[0] + n[0] && b < lo[1] + n[1] &&
           c < lo[2] + n[2];
  }
  std::uint64_t key(int a, int b, int c) const {
    return (std::uint64_t(a + kKeyBias) << 40) | (std::uint64_t(b + kKeyBias) << 20) |
           std::uint64_t(c + kKeyBias);
  }
  double site_draw(int a, int b, int c, int site) const {
    return uniform01(seed, key(a, b, c) * 8 + std::uint64_t(site), kStepSite,
                     Purpose::kLatticeGeometry);
  }
};

// Offsets (in nodes) of the corners of each face site, in cyclic order.
constexpr std::array<std::array<int, 3>, 4> face_corners(int site) {
  switch (site) {
    case kFaceXY:
      return {{{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}}};
    case kFaceXZ:
      return {{{0, 0, 0}, {1, 0, 0}, {1, 0, 1}, {0, 0, 1}}};
    default:
      return {{{0, 0, 0}, {0, 1, 0}, {0, 1, 1}, {0, 0, 1}}};
  }
}

constexpr std::array<int, 3> edge_direction(int site) {
  return {site == kEdgeX ? 1 : 0, site == kEdgeY ? 1 : 0, site == kEdgeZ ? 1 : 0};
}

// The four faces that contain the edge `site` of node (a, b, c), as (node, face site).
std::array<std::array<int, 4>, 4> faces_of_edge(int a, int b, int c, int site) {
  switch (site) {
    case kEdgeX:
      return {
          {{a, b, c, kFaceXY}, {a, b - 1, c, kFaceXY}, {a, b, c, kFaceXZ}, {a, b, c - 1, kFaceXZ}}};
    case kEdgeY:
      return {
          {{a, b, c, kFaceXY}, {a - 1, b, c, kFaceXY}, {a, b, c, kFaceYZ}, {a, b, c - 1, kFaceYZ}}};
    default:
      return {
          {{a, b, c, kFaceXZ}, {a - 1, b, c, kFaceXZ}, {a, b, c, kFaceYZ}, {a, b - 1, c, kFaceYZ}}};
  }
}

int find_root(std::vector<int>& parent, int x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

void unite(std::vector<int>& parent, int x, int y) {
  x = find_root(parent, x);
  y = find_root(parent, y);
  if (x != y) parent[std::max(x, y)] = std::min(x, y);  // fixed rule: deterministic roots
}

}  // namespace

StrutNetwork make_strut_network(const std::array<double, 3>& extent_vox,
                                const StrutNetworkParams& p, std::uint64_t seed) {
  const std::array<double, 3> spacing{p.spacing_vox, p.spacing_vox, p.spacing_vox * p.aspect_z};
  Lattice lat;
  lat.seed = seed;
  for (int d = 0; d < 3; ++d) {
    // Nodes from below -1 cell to beyond extent + 1 cell, whatever the shift and jitter.
    lat.lo[d] = -2;
    lat.n[d] = int(std::ceil(extent_vox[d] / spacing[d])) + 4;
  }
  const auto shift = uniform4(seed, 0, kStepOffset, Purpose::kLatticeGeometry);
  const int node_total = lat.n[0] * lat.n[1] * lat.n[2];

  std::vector<Point3> pos(node_total);
  for (int c = lat.lo[2]; c < lat.lo[2] + lat.n[2]; ++c)
    for (int b = lat.lo[1]; b < lat.lo[1] + lat.n[1]; ++b)
      for (int a = lat.lo[0]; a < lat.lo[0] + lat.n[0]; ++a) {
        const auto u = uniform4(seed, lat.key(a, b, c), kStepJitter, Purpose::kLatticeGeometry);
        const std::array<int, 3> abc{a, b, c};
        Point3& q = pos[lat.index(a, b, c)];
        for (int d = 0; d < 3; ++d)
          q[d] = float((abc[d] + shift[d] + p.jitter * (2.0 * u[d] - 1.0)) * spacing[d]);
      }

  std::vector<std::uint8_t> site(std::size_t(node_total) * kSiteCount, 0);
  auto at = [&](int a, int b, int c, int s) -> std::uint8_t& {
    return site[std::size_t(lat.index(a, b, c)) * kSiteCount + s];
  };
  auto face_exists = [&](int a, int b, int c, int s) {
    for (const auto& o : face_corners(s))
      if (!lat.contains(a + o[0], b + o[1], c + o[2])) return false;
    return true;
  };
  auto edge_exists = [&](int a, int b, int c, int s) {
    const auto e = edge_direction(s);
    return lat.contains(a + e[0], b + e[1], c + e[2]);
  };
  auto plated = [&](int a, int b, int c, int s) {
    return lat.contains(a, b, c) && face_exists(a, b, c, s) && at(a, b, c, s) != 0;
  };
  auto for_each_node = [&](auto&& fn) {
    for (int c = lat.lo[2]; c < lat.lo[2] + lat.n[2]; ++c)
      for (int b = lat.lo[1]; b < lat.lo[1] + lat.n[1]; ++b)
        for (int a = lat.lo[0]; a < lat.lo[0] + lat.n[0]; ++a) fn(a, b, c);
  };
  // Each node owns about the same number of struts (stratified, not independent
  // draws): the density of a few-cell sample then hardly fluctuates, which keeps the
  // thickness found for a given spacing steady. The sites are picked by weighted
  // sampling without replacement (Efraimidis & Spirakis 2006: largest u^(1/w)).
  auto pick = [&](int a, int b, int c, int first, double count, auto&& weight, auto&& allowed) {
    const double extra = uniform01(seed, lat.key(a, b, c) * 8 + std::uint64_t(first), kStepCount,
                                   Purpose::kLatticeGeometry);
    int wanted = int(count) + (extra < count - std::floor(count) ? 1 : 0);
    std::array<std::pair<double, int>, 3> keys{};
    int m = 0;
    for (int s = first; s < first + 3; ++s) {
      if (!allowed(s)) continue;
      keys[m++] = {std::pow(lat.site_draw(a, b, c, s), 1.0 / weight(s)), s};
    }
    for (int q = 1; q < m; ++q)  // largest key first (insertion sort of at most 3)
      for (int r = q; r > 0 && keys[r - 1] < keys[r]; --r) std::swap(keys[r - 1], keys[r]);
    for (int q = 0; q < std::min(wanted, m); ++q) at(a, b, c, keys[q].second) = 1;
  };

  // Plates: faces containing z are favoured over faces normal to it (load-aligned
  // plates, docs/MODEL.md).
  const double f = std::clamp(p.plate_fraction, 0.0, 1.0);
  for_each_node([&](int a, int b, int c) {
    pick(
        a, b, c, kFaceXY, f * p.struts_per_node,
        [&](int s) { return s == kFaceXY ? p.horizontal_plate_weight : 1.0; },
        [&](int s) { return face_exists(a, b, c, s); });
  });

  // A cell closed on all six faces would trap marrow: open its least likely face.
  for_each_node([&](int a, int b, int c) {
    const std::array<std::array<int, 4>, 6> faces{{{a, b, c, kFaceXY},
                                                   {a, b, c + 1, kFaceXY},
                                                   {a, b, c, kFaceXZ},
                                                   {a, b + 1, c, kFaceXZ},
                                                   {a, b, c, kFaceYZ},
                                                   {a + 1, b, c, kFaceYZ}}};
    int open_face = -1;
    double highest = -1.0;
    for (int q = 0; q < 6; ++q) {
      const auto& fc = faces[q];
      if (!plated(fc[0], fc[1], fc[2], fc[3])) return;
      const double u = lat.site_draw(fc[0], fc[1], fc[2], fc[3]);
      if (u > highest) highest = u, open_face = q;
    }
    const auto& fc = faces[open_face];
    at(fc[0], fc[1], fc[2], fc[3]) = 0;
  });

  // Rods on edges no plate covers (a covered edge is already bone); rods along z are
  // favoured.
  auto edge_free = [&](int a, int b, int c, int s) {
    for (const auto& fc : faces_of_edge(a, b, c, s))
      if (plated(fc[0], fc[1], fc[2], fc[3])) return false;
    return true;
  };
  // Rods per node chosen so that rods make (1 - plate_fraction) of all struts although
  // some nodes have fewer free edges than they would take: solve
  // sum_nodes E[min(rods wanted, free edges)] = rods needed by bisection.
  int plates = 0, nodes_with_faces = 0;
  std::vector<std::uint8_t> free_edges(node_total, 0);
  for_each_node([&](int a, int b, int c) {
    for (int s = kFaceXY; s <= kFaceYZ; ++s) plates += at(a, b, c, s);
    nodes_with_faces += face_exists(a, b, c, kFaceXY) || face_exists(a, b, c, kFaceXZ) ||
                        face_exists(a, b, c, kFaceYZ);
    for (int s = kEdgeX; s <= kEdgeZ; ++s)
      free_edges[lat.index(a, b, c)] += edge_exists(a, b, c, s) && edge_free(a, b, c, s);
  });
  const double rods_needed = f > 0 ? plates * (1.0 - f) / f : p.struts_per_node * nodes_with_faces;
  auto rods_expected = [&](double per_node) {
    const double whole = std::floor(per_node), part = per_node - whole;
    double sum = 0;
    for (const std::uint8_t e : free_edges)
      sum += (1.0 - part) * std::min<double>(whole, e) + part * std::min<double>(whole + 1, e);
    return sum;
  };
  double low = 0.0, high = 3.0;
  for (int it = 0; it < 40; ++it) {
    const double mid = 0.5 * (low + high);
    (rods_expected(mid) < rods_needed ? low : high) = mid;
  }
  const double rods_per_node = 0.5 * (low + high);
  for_each_node([&](int a, int b, int c) {
    pick(
        a, b, c, kEdgeX, rods_per_node,
        [&](int s) { return s == kEdgeZ ? 1.0 : p.horizontal_rod_weight; },
        [&](int s) { return edge_exists(a, b, c, s) && edge_free(a, b, c, s); });
  });

  // Keep the piece that is connected inside the box and meets it most. Struts join
  // only at nodes inside the box (grown by join_margin_vox): two struts that meet only
  // outside it would show up in the voxels as separate pieces cut off at a face.
  auto strut_nodes = [&](int a, int b, int c, int s, std::array<int, 4>& out) {
    if (s <= kEdgeZ) {
      const auto e = edge_direction(s);
      out = {lat.index(a, b, c), lat.index(a + e[0], b + e[1], c + e[2]), -1, -1};
    } else {
      const auto corners = face_corners(s);
      for (int q = 0; q < 4; ++q)
        out[q] = lat.index(a + corners[q][0], b + corners[q][1], c + corners[q][2]);
    }
  };
  auto for_each_strut = [&](auto&& fn) {
    int id = 0;
    for_each_node([&](int a, int b, int c) {
      for (int s = 0; s < kSiteCount; ++s)
        if (at(a, b, c, s)) {
          std::array<int, 4> nodes{};
          strut_nodes(a, b, c, s, nodes);
          fn(id++, s, nodes);
        }
    });
  };
  const float m = float(p.join_margin_vox);
  auto inside = [&](const Point3& q, float grow) {
    for (int d = 0; d < 3; ++d)
      if (q[d] < -grow || q[d] > float(extent_vox[d]) + grow) return false;
    return true;
  };
  int strut_total = 0;
  for_each_strut([&](int, int, const std::array<int, 4>&) { ++strut_total; });
  std::vector<int> parent(strut_total), first_at(node_total, -1);
  std::iota(parent.begin(), parent.end(), 0);
  for_each_strut([&](int id, int, const std::array<int, 4>& nodes) {
    for (int q = 0; q < 4 && nodes[q] >= 0; ++q) {
      if (!inside(pos[nodes[q]], m)) continue;
      if (first_at[nodes[q]] < 0) {
        first_at[nodes[q]] = id;
      } else {
        unite(parent, id, first_at[nodes[q]]);
      }
    }
  });
  // A strut meets the box if the box of its corners, grown by a spacing, does.
  std::vector<int> meeting(strut_total, 0);
  for_each_strut([&](int id, int, const std::array<int, 4>& nodes) {
    Point3 lo = pos[nodes[0]], hi = pos[nodes[0]];
    for (int q = 1; q < 4 && nodes[q] >= 0; ++q)
      for (int d = 0; d < 3; ++d)
        lo[d] = std::min(lo[d], pos[nodes[q]][d]), hi[d] = std::max(hi[d], pos[nodes[q]][d]);
    bool meets = true;
    for (int d = 0; d < 3; ++d) meets = meets && hi[d] >= -m && lo[d] <= float(extent_vox[d]) + m;
    meeting[find_root(parent, id)] += meets;
  });
  const int main_root = int(std::max_element(meeting.begin(), meeting.end()) - meeting.begin());

  StrutNetwork net;
  std::vector<std::uint8_t> used(node_total, 0);
  for_each_strut([&](int id, int s, const std::array<int, 4>& nodes) {
    if (find_root(parent, id) != main_root) {
      ++net.pruned_strut_count;
      return;
    }
    for (int q = 0; q < 4 && nodes[q] >= 0; ++q) used[nodes[q]] = 1;
    if (s <= kEdgeZ) {
      net.rods.push_back({pos[nodes[0]], pos[nodes[1]]});
    } else {
      // Two triangles across one diagonal: the four jittered corners are not coplanar.
      net.plates.push_back({pos[nodes[0]], pos[nodes[1]], pos[nodes[2]]});
      net.plates.push_back({pos[nodes[0]], pos[nodes[2]], pos[nodes[3]]});
      ++net.plate_count;
    }
  });
  net.node_count = int(std::count(used.begin(), used.end(), 1));
  return net;
}

}  // namespace bonesim
