// Bone surface area by the discrete Crofton formula.
// Ohser J., Muecklich F. (2000) Statistical Analysis of Microstructures in Materials Science.
// Wiley. Lang C., Ohser J., Hilfer R. (2001) On the analysis of spatial binary images.
// J Microsc 203:303-313. Legland D., Kieu K., Devaux M.-F. (2007) Computation of Minkowski
// measures on 2D and 3D binary images. Image Anal Stereol 26:83-92. docs/MODEL.md.
#include "bonesim/morphometry/surface_area.hpp"

#include <cmath>

#include "bonesim/core/parallel.hpp"

namespace bonesim {

namespace {

struct Counts {
  long long n[13] = {};
  Counts& operator+=(const Counts& o) {
    for (int d = 0; d < 13; ++d) n[d] += o.n[d];
    return *this;
  }
  friend Counts operator+(Counts a, const Counts& b) { return a += b; }
};

// Pairs (i, i + dx) with a[i] bone xor b[i + dx] bone, for i in [0, n - dx).
long long count_changes(const std::uint8_t* a, const std::uint8_t* b, int dx, int n) {
  long long c = 0;
  for (int i = 0; i + dx < n; ++i) c += (a[i] != 0) != (b[i + dx] != 0);
  return c;
}

}  // namespace

CroftonCounts crofton_counts(const Mask& mask) {
  const GridShape& g = mask.shape;
  // Every pair is counted once, from the row of its first voxel p; dx >= 0 in the table, so
  // a negative dx never occurs and the partner row (j + dy, k + dz) is read shifted by dx.
  const Counts total = deterministic_row_sum<Counts>(g, [&](int j, int k) {
    Counts c;
    const std::uint8_t* a = mask.row(j, k);
    for (int d = 0; d < 13; ++d) {
      const CroftonDirection& dir = kCroftonDirections[d];
      const int j2 = j + dir.dy, k2 = k + dir.dz;
      if (j2 < 0 || k2 < 0 || j2 >= g.ny || k2 >= g.nz) continue;
      c.n[d] = count_changes(a, mask.row(j2, k2), dir.dx, g.nx);
    }
    return c;
  });
  CroftonCounts out;
  for (int d = 0; d < 13; ++d) out.n[d] = total.n[d];
  return out;
}

double surface_area(const Mask& mask) {
  const CroftonCounts c = crofton_counts(mask);
  // S = 2 sum over the 26 directions of w_d * (line spacing area h^2 / |d|) * N_d; d and -d
  // see the same pairs, hence 4 over the 13 directions (Legland et al. 2007, eq. 14).
  double s = 0;
  for (int d = 0; d < 13; ++d) {
    const CroftonDirection& dir = kCroftonDirections[d];
    const double length = std::sqrt(double(dir.dx * dir.dx + dir.dy * dir.dy + dir.dz * dir.dz));
    s += dir.weight * double(c.n[d]) / length;
  }
  return 4.0 * s;
}

}  // namespace bonesim
