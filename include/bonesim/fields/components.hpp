// Connected components of the voxels of a grid joined by open faces (union-find,
// Tarjan 1975; two-pass labelling in the spirit of Wu, Otoo & Suzuki 2009: runs along x
// first, then unions with the rows below).
//
// The multigrid hierarchy uses it to keep each component (the marrow, an enclosed pore,
// a bone voxel behind closed faces) in coarse cells of its own, so that nothing couples
// regions that the operator does not couple.
#pragma once

#include <cstdint>
#include <vector>

#include "bonesim/core/grid.hpp"
#include "bonesim/core/parallel.hpp"

namespace bonesim {

// Label of every voxel in compact order v = i + nx (j + ny k): the smallest compact index
// of its component, so labels do not depend on the order of the unions. open(i, j, k, a)
// says whether the face between (i, j, k) and its neighbour along +a is open; wrap[a]
// asks for the face between the last and the first voxel along a too (periodic axes).
template <class Open>
std::vector<std::int32_t> label_components(const GridShape& g, const bool wrap[3], Open&& open) {
  const std::int32_t nx = g.nx, nxy = g.nx * g.ny;
  std::vector<std::int32_t> p(std::size_t(g.voxel_count()));
  auto at = [&](int i, int j, int k) { return std::int32_t(i + nx * j + nxy * k); };
  // Runs along x, rows in parallel: every voxel points at the start of its run.
  for_each_row(g, [&](int j, int k) {
    const std::int32_t v0 = at(0, j, k);
    p[std::size_t(v0)] = v0;
    for (int i = 1; i < g.nx; ++i) {
      p[std::size_t(v0 + i)] = open(i - 1, j, k, 0) ? p[std::size_t(v0 + i - 1)] : v0 + i;
    }
  });
  // Every parent index is smaller than its child's, before and after each union.
  auto find = [&](std::int32_t x) {
    while (p[std::size_t(x)] != x) {
      p[std::size_t(x)] = p[std::size_t(p[std::size_t(x)])];  // path halving
      x = p[std::size_t(x)];
    }
    return x;
  };
  auto unite = [&](std::int32_t a, std::int32_t b) {
    a = find(a);
    b = find(b);
    if (a < b) p[std::size_t(b)] = a;
    if (b < a) p[std::size_t(a)] = b;
  };
  for (int k = 0; k < g.nz; ++k) {
    for (int j = 0; j < g.ny; ++j) {
      for (int a = 1; a < 3; ++a) {
        if ((a == 1 ? j : k) == 0) continue;
        const std::int32_t off = a == 1 ? nx : nxy;
        bool joined = false;  // the previous voxel of this run was joined along a
        for (int i = 0; i < g.nx; ++i) {
          const int jn = a == 1 ? j - 1 : j, kn = a == 2 ? k - 1 : k;
          const bool o = open(i, jn, kn, a);
          // Same run here and below as the previous voxel: already joined.
          const bool same = joined && i > 0 && open(i - 1, j, k, 0) && open(i - 1, jn, kn, 0);
          if (o && !same) unite(at(i, j, k), at(i, j, k) - off);
          joined = o;
        }
      }
    }
  }
  const int n[3] = {g.nx, g.ny, g.nz};
  for (int a = 0; a < 3; ++a) {
    if (!wrap[a] || n[a] < 2) continue;
    const int m1 = a == 0 ? g.ny : g.nx, m2 = a == 2 ? g.ny : g.nz;
    for (int v = 0; v < m2; ++v) {
      for (int u = 0; u < m1; ++u) {
        const int i = a == 0 ? n[0] - 1 : u, j = a == 1 ? n[1] - 1 : (a == 0 ? u : v),
                  k = a == 2 ? n[2] - 1 : v;
        if (open(i, j, k, a))
          unite(at(i, j, k), at(a == 0 ? 0 : i, a == 1 ? 0 : j, a == 2 ? 0 : k));
      }
    }
  }
  // Parents precede children, so one ascending pass resolves every root.
  for (std::size_t v = 0; v < p.size(); ++v) p[v] = p[std::size_t(p[v])];
  return p;
}

}  // namespace bonesim
