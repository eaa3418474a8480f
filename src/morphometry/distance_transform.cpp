// Exact squared Euclidean distance transform, separable over x, y and z lines.
// Felzenszwalb P.F., Huttenlocher D.P. (2012) Distance transforms of sampled functions.
// Theory of Computing 8:415-428. docs/MODEL.md, "Morphometry".
#include "bonesim/morphometry/distance_transform.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "bonesim/core/parallel.hpp"

namespace bonesim {

namespace {

// Scratch space for one line: the lower envelope's parabola apexes and boundaries.
struct LineBuffers {
  std::vector<std::int32_t> f, d;
  std::vector<int> v;
  std::vector<double> z;
  explicit LineBuffers(int n) : f(n), d(n), v(n), z(n + 1) {}
};

// d(p) = min_q (p - q)^2 + f(q) over the finite f(q): the lower envelope of the parabolas
// rooted at the finite samples. Rational breakpoints are held as doubles: two distinct
// breakpoints differ by at least 1/(4 n^2), far above the rounding error, and an exact tie
// leaves the envelope's values at whole p unchanged.
void lower_envelope(int n, LineBuffers& b) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const std::int32_t* f = b.f.data();
  int* v = b.v.data();
  double* z = b.z.data();
  int k = -1;
  for (int q = 0; q < n; ++q) {
    if (f[q] == kNoFeature) continue;
    const double fq = double(f[q]) + double(q) * q;
    double s = -kInf;
    while (k >= 0) {
      const int vk = v[k];
      s = (fq - (double(f[vk]) + double(vk) * vk)) / (2.0 * (q - vk));
      if (s > z[k]) break;
      --k;
    }
    ++k;
    v[k] = q;
    z[k] = k == 0 ? -kInf : s;
  }
  std::int32_t* d = b.d.data();
  if (k < 0) {
    std::fill(d, d + n, kNoFeature);
    return;
  }
  z[k + 1] = kInf;
  int j = 0;
  for (int p = 0; p < n; ++p) {
    while (z[j + 1] < p) ++j;
    const int dp = p - v[j];
    d[p] = dp * dp + f[v[j]];
  }
}

// Along x: squared distance to the nearest feature in the same row (two scans).
void transform_rows(const Mask& mask, bool phase, Field<std::int32_t>& out) {
  const GridShape& g = mask.shape;
  for_each_row(g, [&](int j, int k) {
    const std::uint8_t* m = mask.row(j, k);
    std::int32_t* o = out.row(j, k);
    int last = -1;  // nearest feature at or left of i, -1 if none
    for (int i = 0; i < g.nx; ++i) {
      if ((m[i] != 0) != phase) last = i;
      o[i] = last < 0 ? kNoFeature : i - last;
    }
    last = -1;
    for (int i = g.nx - 1; i >= 0; --i) {
      if ((m[i] != 0) != phase) last = i;
      if (last >= 0 && last - i < o[i]) o[i] = last - i;
      if (o[i] != kNoFeature) o[i] *= o[i];
    }
  });
}

}  // namespace

Field<std::int32_t> squared_distance_transform(const Mask& mask, std::uint8_t phase) {
  const GridShape& g = mask.shape;
  Field<std::int32_t> out(g);
  transform_rows(mask, phase != 0, out);

  // Along y: one z-plane per task, one column at a time (the plane stays in cache).
  parallel_for(0, g.nz, [&](Index kk) {
    const int k = int(kk);
    LineBuffers b(g.ny);
    for (int i = 0; i < g.nx; ++i) {
      std::int32_t* col = out.data.data() + g.index(i, 0, k);
      for (int j = 0; j < g.ny; ++j) b.f[j] = col[j * g.sx];
      lower_envelope(g.ny, b);
      for (int j = 0; j < g.ny; ++j) col[j * g.sx] = b.d[j];
    }
  });

  // Along z: one y-row position per task.
  parallel_for(0, g.ny, [&](Index jj) {
    const int j = int(jj);
    LineBuffers b(g.nz);
    for (int i = 0; i < g.nx; ++i) {
      std::int32_t* col = out.data.data() + g.index(i, j, 0);
      for (int k = 0; k < g.nz; ++k) b.f[k] = col[k * g.sxy];
      lower_envelope(g.nz, b);
      for (int k = 0; k < g.nz; ++k) col[k * g.sxy] = b.d[k];
    }
  });
  return out;
}

}  // namespace bonesim
