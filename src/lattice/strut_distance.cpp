#include "bonesim/lattice/strut_distance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "bonesim/core/parallel.hpp"

namespace bonesim {

namespace {

struct Vec {
  float x, y, z;
};
inline Vec operator-(Vec a, Vec b) {
  return {a.x - b.x, a.y - b.y, a.z - b.z};
}
inline Vec operator+(Vec a, Vec b) {
  return {a.x + b.x, a.y + b.y, a.z + b.z};
}
inline Vec operator*(float s, Vec a) {
  return {s * a.x, s * a.y, s * a.z};
}
inline float dot(Vec a, Vec b) {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}
inline Vec vec(const Point3& p) {
  return {p[0], p[1], p[2]};
}

// Axis-aligned box (voxel coordinates) around a primitive, grown by the cutoff.
struct Box {
  float lo[3], hi[3];
};

template <class... P>
Box bounding_box(float grow, const P&... points) {
  Box b{};
  for (int d = 0; d < 3; ++d) {
    b.lo[d] = std::min({points[d]...}) - grow;
    b.hi[d] = std::max({points[d]...}) + grow;
  }
  return b;
}

struct Rod {
  Vec a, ab;
  float inv_len2;
  Box box;
};

struct Plate {
  Vec a, b, c, n;  // corners and unit normal (zero for a degenerate triangle)
  Box box;
};

// Squared distance from p to segment a + s * ab, s in [0, 1].
inline float rod_distance2(const Rod& r, Vec p) {
  const Vec ap = p - r.a;
  const float s = std::clamp(dot(ap, r.ab) * r.inv_len2, 0.0f, 1.0f);
  const Vec d = ap - s * r.ab;
  return dot(d, d);
}

// Squared distance from p to a triangle: the closest-point regions of Ericson,
// Real-Time Collision Detection (2005), section 5.1.5.
inline float plate_distance2(const Plate& t, Vec p) {
  const Vec ab = t.b - t.a, ac = t.c - t.a, ap = p - t.a;
  const float d1 = dot(ab, ap), d2 = dot(ac, ap);
  Vec q;
  if (d1 <= 0 && d2 <= 0) {
    q = t.a;
  } else {
    const Vec bp = p - t.b;
    const float d3 = dot(ab, bp), d4 = dot(ac, bp);
    const Vec cp = p - t.c;
    const float d5 = dot(ab, cp), d6 = dot(ac, cp);
    const float vc = d1 * d4 - d3 * d2, vb = d5 * d2 - d1 * d6, va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) {
      q = t.b;
    } else if (d6 >= 0 && d5 <= d6) {
      q = t.c;
    } else if (vc <= 0 && d1 >= 0 && d3 <= 0) {
      q = t.a + (d1 / (d1 - d3)) * ab;
    } else if (vb <= 0 && d2 >= 0 && d6 <= 0) {
      q = t.a + (d2 / (d2 - d6)) * ac;
    } else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      q = t.b + ((d4 - d3) / ((d4 - d3) + (d5 - d6))) * (t.c - t.b);
    } else {
      const float inv = 1.0f / (va + vb + vc);
      q = t.a + (vb * inv) * ab + (vc * inv) * ac;
    }
  }
  const Vec d = p - q;
  return dot(d, d);
}

// Sample indices [first, last] whose centres stride * i + 0.5 lie in [lo, hi].
inline bool sample_range(float lo, float hi, int stride, int n, int& first, int& last) {
  first = std::max(0, int(std::ceil((lo - 0.5f) / float(stride))));
  last = std::min(n - 1, int(std::floor((hi - 0.5f) / float(stride))));
  return first <= last;
}

}  // namespace

Field<float> strut_distance_squared(const StrutNetwork& net, const GridShape& g, int stride,
                                    double cutoff_vox) {
  const float cut = float(cutoff_vox);
  std::vector<Rod> rods;
  rods.reserve(net.rods.size());
  for (const Segment& s : net.rods) {
    const Vec a = vec(s.a), ab = vec(s.b) - a;
    const float len2 = dot(ab, ab);
    rods.push_back({a, ab, len2 > 0 ? 1.0f / len2 : 0.0f, bounding_box(cut, s.a, s.b)});
  }
  std::vector<Plate> plates;
  plates.reserve(net.plates.size());
  for (const Triangle& t : net.plates) {
    const Vec a = vec(t.a), b = vec(t.b), c = vec(t.c);
    const Vec u = b - a, v = c - a;
    Vec n{u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x};
    const float len = std::sqrt(dot(n, n));
    n = len > 1e-6f ? (1.0f / len) * n : Vec{0, 0, 0};
    plates.push_back({a, b, c, n, bounding_box(cut, t.a, t.b, t.c)});
  }

  Field<float> d2(g, std::numeric_limits<float>::infinity());
  // One task per z-slice; a voxel's value is a min over primitives, the same in any order.
  parallel_for(0, g.nz, [&](Index kk) {
    const int k = int(kk);
    const float z = float(stride * k) + 0.5f;
    int j0, j1, i0, i1;
    for (const Rod& r : rods) {
      if (z < r.box.lo[2] || z > r.box.hi[2]) continue;
      if (!sample_range(r.box.lo[1], r.box.hi[1], stride, g.ny, j0, j1)) continue;
      if (!sample_range(r.box.lo[0], r.box.hi[0], stride, g.nx, i0, i1)) continue;
      for (int j = j0; j <= j1; ++j) {
        float* row = d2.row(j, k);
        const float y = float(stride * j) + 0.5f;
        for (int i = i0; i <= i1; ++i) {
          const float v = rod_distance2(r, {float(stride * i) + 0.5f, y, z});
          row[i] = std::min(row[i], v);
        }
      }
    }
    for (const Plate& t : plates) {
      if (z < t.box.lo[2] || z > t.box.hi[2]) continue;
      if (!sample_range(t.box.lo[1], t.box.hi[1], stride, g.ny, j0, j1)) continue;
      for (int j = j0; j <= j1; ++j) {
        const float y = float(stride * j) + 0.5f;
        // Only points within the cutoff of the triangle's plane can be within the
        // cutoff of the triangle: |n.x * x + c0| <= cut gives an interval in x.
        float lo = t.box.lo[0], hi = t.box.hi[0];
        const float c0 = t.n.y * (y - t.a.y) + t.n.z * (z - t.a.z) - t.n.x * t.a.x;
        if (std::abs(t.n.x) > 1e-6f) {
          const float xa = (-cut - c0) / t.n.x, xb = (cut - c0) / t.n.x;
          lo = std::max(lo, std::min(xa, xb) - 1.0f);
          hi = std::min(hi, std::max(xa, xb) + 1.0f);
        } else if (std::abs(c0) > cut + 1.0f) {
          continue;
        }
        if (!sample_range(lo, hi, stride, g.nx, i0, i1)) continue;
        float* row = d2.row(j, k);
        for (int i = i0; i <= i1; ++i) {
          const float v = plate_distance2(t, {float(stride * i) + 0.5f, y, z});
          row[i] = std::min(row[i], v);
        }
      }
    }
  });
  return d2;
}

}  // namespace bonesim
