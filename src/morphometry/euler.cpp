// Euler characteristic of the bone as a cubical complex, and its edge-corrected contribution.
// Odgaard A., Gundersen H.J.G. (1993) Quantification of connectivity in cancellous bone, with
// special emphasis on 3-D reconstructions. Bone 14:173-182. docs/MODEL.md, "Morphometry".
#include "bonesim/morphometry/euler.hpp"

#include <array>
#include <bit>
#include <cstdint>

#include "bonesim/core/parallel.hpp"

namespace bonesim {

namespace {

// Each lattice vertex v holds the share of the complex's cells that touch it: the vertex
// itself, half of each incident edge, a quarter of each incident face, an eighth of each
// incident cube. Summed over all vertices this is chi exactly. Config bit dx + 2 dy + 4 dz
// is the voxel at v + (dx - 1, dy - 1, dz - 1); the table holds 8 x the share.
constexpr std::array<int, 256> make_vertex_table_3d() {
  std::array<int, 256> t{};
  for (int c = 0; c < 256; ++c) {
    auto has = [c](int dx, int dy, int dz) { return (c >> (dx + 2 * dy + 4 * dz)) & 1; };
    int edges = 0, faces = 0;
    for (int s = 0; s < 2; ++s) {  // half-edges towards -axis (s = 0) and +axis (s = 1)
      edges += (has(s, 0, 0) | has(s, 1, 0) | has(s, 0, 1) | has(s, 1, 1));
      edges += (has(0, s, 0) | has(1, s, 0) | has(0, s, 1) | has(1, s, 1));
      edges += (has(0, 0, s) | has(1, 0, s) | has(0, 1, s) | has(1, 1, s));
    }
    for (int a = 0; a < 2; ++a) {  // quarter-faces in each of the 4 quadrants of each plane
      for (int b = 0; b < 2; ++b) {
        faces += has(0, a, b) | has(1, a, b);
        faces += has(a, 0, b) | has(a, 1, b);
        faces += has(a, b, 0) | has(a, b, 1);
      }
    }
    t[c] = 8 * (c != 0) - 4 * edges + 2 * faces - std::popcount(unsigned(c));
  }
  return t;
}
constexpr std::array<int, 256> kVertexTable3d = make_vertex_table_3d();

// The same for closed unit squares; bit dx + 2 dy, 4 x the share.
constexpr std::array<int, 16> make_vertex_table_2d() {
  std::array<int, 16> t{};
  for (int c = 0; c < 16; ++c) {
    auto has = [c](int dx, int dy) { return (c >> (dx + 2 * dy)) & 1; };
    int edges = 0;
    for (int s = 0; s < 2; ++s) edges += (has(s, 0) | has(s, 1)) + (has(0, s) | has(1, s));
    t[c] = 4 * (c != 0) - 2 * edges + std::popcount(unsigned(c));
  }
  return t;
}
constexpr std::array<int, 16> kVertexTable2d = make_vertex_table_2d();

// chi of the union of closed unit squares {(a, b) : on(a, b)} on an na x nb grid.
template <class On>
long long euler_2d(int na, int nb, On&& on) {
  auto at = [&](int a, int b) { return a >= 0 && b >= 0 && a < na && b < nb && on(a, b); };
  long long sum4 = 0;
  for (int b = 0; b <= nb; ++b) {
    for (int a = 0; a <= na; ++a) {
      const int c = at(a - 1, b - 1) | at(a, b - 1) << 1 | at(a - 1, b) << 2 | at(a, b) << 3;
      sum4 += kVertexTable2d[c];
    }
  }
  return sum4 / 4;
}

// chi of the union of closed unit segments: the number of runs.
template <class On>
long long euler_1d(int n, On&& on) {
  long long runs = 0;
  for (int a = 0; a < n; ++a) runs += on(a) && (a == 0 || !on(a - 1));
  return runs;
}

}  // namespace

long long euler_characteristic(const Mask& mask) {
  const GridShape& g = mask.shape;
  // One task per vertex plane k in [0, nz]; integer sums are exact in any order.
  const long long sum8 = deterministic_sum<long long>(
      0, Index(g.nz) + 1,
      [&](Index kk) {
        const int k = int(kk);
        auto row = [&](int j, int z) -> const std::uint8_t* {
          return j >= 0 && z >= 0 && j < g.ny && z < g.nz ? mask.row(j, z) : nullptr;
        };
        auto bit = [&](const std::uint8_t* r, int i) {
          return r != nullptr && i >= 0 && i < g.nx && r[i] != 0 ? 1 : 0;
        };
        long long s = 0;
        for (int j = 0; j <= g.ny; ++j) {
          const std::uint8_t* r[4] = {row(j - 1, k - 1), row(j, k - 1), row(j - 1, k), row(j, k)};
          // Column code at x: bits 2 dy + 4 dz, shifted by dx when combined.
          auto column = [&](int i) {
            return bit(r[0], i) | bit(r[1], i) << 2 | bit(r[2], i) << 4 | bit(r[3], i) << 6;
          };
          int left = 0;  // column at i - 1
          for (int i = 0; i <= g.nx; ++i) {
            const int right = column(i);
            s += kVertexTable3d[left | right << 1];
            left = right;
          }
        }
        return s;
      },
      1);
  return sum8 / 8;
}

double euler_contribution(const Mask& mask) {
  const GridShape& g = mask.shape;
  const int nx = g.nx, ny = g.ny, nz = g.nz;
  auto on = [&](int i, int j, int k) { return mask(i, j, k) != 0; };
  long long faces = 0, edges = 0, corners = 0;
  for (int s = 0; s < 2; ++s) {
    const int i = s * (nx - 1), j = s * (ny - 1), k = s * (nz - 1);
    faces += euler_2d(ny, nz, [&](int a, int b) { return on(i, a, b); });
    faces += euler_2d(nx, nz, [&](int a, int b) { return on(a, j, b); });
    faces += euler_2d(nx, ny, [&](int a, int b) { return on(a, b, k); });
    for (int t = 0; t < 2; ++t) {
      const int j2 = t * (ny - 1), k2 = t * (nz - 1);
      edges += euler_1d(nx, [&](int a) { return on(a, j, k2); });
      edges += euler_1d(ny, [&](int a) { return on(i, a, k2); });
      edges += euler_1d(nz, [&](int a) { return on(i, j2, a); });
      for (int u = 0; u < 2; ++u) corners += on(i, j2, u * (nz - 1));
    }
  }
  return double(euler_characteristic(mask)) - 0.5 * double(faces) + 0.25 * double(edges) -
         0.125 * double(corners);
}

}  // namespace bonesim
