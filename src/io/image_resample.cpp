// Crop, segmentation and resampling of an imported image onto the simulation grid.
//
// Resampling is separable: one pass per axis, each a weighted sum over input voxels
// with 1-D weights ("taps"). Box weights (overlap lengths) are kept unnormalised
// through the three passes and divided out at the end, so a whole-number
// down-sampling factor gives count / factor^3 with a single rounding.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>

#include "bonesim/core/error.hpp"
#include "bonesim/core/parallel.hpp"
#include "bonesim/io/image_resample.hpp"

namespace bonesim {

namespace {

constexpr char kAxis[3] = {'x', 'y', 'z'};

std::string size_text(const std::array<int, 3>& d) {
  return std::to_string(d[0]) + " x " + std::to_string(d[1]) + " x " + std::to_string(d[2]);
}

// Output voxel `out` of one axis gathers sum(weight * input[index]) / norm.
struct Taps {
  std::vector<std::vector<std::pair<int, float>>> taps;
  std::vector<double> norm;
};

// n_out voxels of `ratio` input voxels each along an axis of n_in input voxels.
Taps axis_taps(int n_in, double ratio, int n_out) {
  // Snap near-whole ratios (30 um / 10 um computed as 2.9999999) to whole ones.
  if (const double whole = std::round(ratio);
      whole >= 1 && std::abs(ratio - whole) <= 1e-9 * whole) {
    ratio = whole;
  }
  Taps t;
  t.taps.resize(std::size_t(n_out));
  t.norm.assign(std::size_t(n_out), 1.0);
  for (int o = 0; o < n_out; ++o) {
    auto& taps = t.taps[std::size_t(o)];
    if (ratio >= 1) {
      // Box: overlap of [o r, (o + 1) r) with each input voxel [p, p + 1), clipped to
      // the image (the last voxel may reach past it).
      const double lo = o * ratio;
      const double hi = std::min((o + 1) * ratio, double(n_in));
      double sum = 0;
      for (int p = int(std::floor(lo)); p < n_in && p < hi; ++p) {
        const double w = std::min(hi, p + 1.0) - std::max(lo, double(p));
        if (w <= 1e-9) continue;
        taps.emplace_back(p, float(w));
        sum += float(w);
      }
      t.norm[std::size_t(o)] = sum;
    } else {
      // Linear interpolation between input voxel centres, clamped at the edges.
      const double u = std::clamp((o + 0.5) * ratio - 0.5, 0.0, double(n_in - 1));
      const int p = std::min(int(std::floor(u)), n_in - 1);
      const double f = u - p;
      taps.emplace_back(p, float(1.0 - f));
      if (f > 0) taps.emplace_back(p + 1, float(f));
    }
  }
  return t;
}

}  // namespace

ScalarImage crop_image(const ScalarImage& image, const std::array<int, 3>& begin,
                       const std::array<int, 3>& size, const std::string& source) {
  ScalarImage out;
  out.spacing_um = image.spacing_um;
  for (int a = 0; a < 3; ++a) {
    const int n = image.dims[std::size_t(a)];
    const int b = begin[std::size_t(a)];
    const int s = size[std::size_t(a)];
    if (b < 0 || b >= n) {
      throw InputError("lattice.image.crop_begin_voxels: " + std::string(1, kAxis[a]) + " = " +
                       std::to_string(b) + " is outside " + source + " (" + size_text(image.dims) +
                       " voxels); expected 0.." + std::to_string(n - 1));
    }
    if (s < 0 || s > n - b) {
      throw InputError("lattice.image.crop_size_voxels: " + std::string(1, kAxis[a]) + " = " +
                       std::to_string(s) + " from voxel " + std::to_string(b) + " runs past " +
                       source + " (" + size_text(image.dims) + " voxels); expected 0.." +
                       std::to_string(n - b) + " (0 = to the end)");
    }
    out.dims[std::size_t(a)] = s == 0 ? n - b : s;
  }
  const auto [nx, ny, nz] = out.dims;
  out.values.resize(std::size_t(nx) * std::size_t(ny) * std::size_t(nz));
  parallel_for(0, Index(ny) * nz, [&](Index r) {
    const int j = int(r % ny), k = int(r / ny);
    const std::size_t row = std::size_t(begin[1] + j) + std::size_t(image.dims[1]) * (begin[2] + k);
    const float* in = image.values.data() + row * image.dims[0] + begin[0];
    std::copy(in, in + nx, out.values.begin() + r * nx);
  });
  return out;
}

BinaryImage threshold_image(const ScalarImage& image, double threshold) {
  BinaryImage out;
  out.dims = image.dims;
  out.spacing_um = image.spacing_um;
  out.values.resize(image.values.size());
  parallel_for(
      0, Index(image.values.size()),
      [&](Index i) {
        out.values[std::size_t(i)] = double(image.values[std::size_t(i)]) >= threshold ? 1 : 0;
      },
      1 << 14);
  return out;
}

std::array<int, 3> resampled_dims(const std::array<int, 3>& dims,
                                  const std::array<double, 3>& spacing_um, double voxel_size_um) {
  if (!(voxel_size_um > 0) || !std::isfinite(voxel_size_um)) {
    throw InputError("lattice.voxel_size_um: expected a positive voxel size, got " +
                     std::to_string(voxel_size_um));
  }
  std::array<int, 3> out{};
  double total = 1;
  for (std::size_t a = 0; a < 3; ++a) {
    const double n = std::max(1.0, std::round(dims[a] * spacing_um[a] / voxel_size_um));
    total *= n;
    out[a] = int(std::min(n, 1e9));
  }
  if (total > kMaxResampledVoxels) {
    std::ostringstream msg;
    msg << "an image of " << size_text(dims) << " voxels of " << spacing_um[0] << " x "
        << spacing_um[1] << " x " << spacing_um[2] << " um needs " << total
        << " voxels at lattice.voxel_size_um = " << voxel_size_um
        << ", expected at most 2048^3; increase the voxel size or crop the image";
    throw InputError(msg.str());
  }
  return out;
}

Field<float> resample_fractions(const BinaryImage& image, double voxel_size_um) {
  const std::array<int, 3> in = image.dims;
  const std::array<int, 3> out = resampled_dims(in, image.spacing_um, voxel_size_um);
  const Taps tx = axis_taps(in[0], voxel_size_um / image.spacing_um[0], out[0]);
  const Taps ty = axis_taps(in[1], voxel_size_um / image.spacing_um[1], out[1]);
  const Taps tz = axis_taps(in[2], voxel_size_um / image.spacing_um[2], out[2]);

  // x: (in x, y, z) -> (out x, in y, in z)
  std::vector<float> a(static_cast<std::size_t>(Index(out[0]) * in[1] * in[2]));
  parallel_for(0, Index(in[1]) * in[2], [&](Index r) {
    const std::uint8_t* src = image.values.data() + r * in[0];
    float* dst = a.data() + r * out[0];
    for (int o = 0; o < out[0]; ++o) {
      float s = 0;
      for (const auto& [p, w] : tx.taps[std::size_t(o)]) s += w * float(src[p]);
      dst[o] = s;
    }
  });

  // y: -> (out x, out y, in z)
  std::vector<float> b(static_cast<std::size_t>(Index(out[0]) * out[1] * in[2]));
  parallel_for(0, Index(out[1]) * in[2], [&](Index r) {
    const int j = int(r % out[1]), k = int(r / out[1]);
    float* dst = b.data() + r * out[0];
    for (const auto& [p, w] : ty.taps[std::size_t(j)]) {
      const float* src = a.data() + (Index(k) * in[1] + p) * out[0];
      for (int i = 0; i < out[0]; ++i) dst[i] += w * src[i];
    }
  });
  a = {};

  // z: -> the padded simulation field, normalised and clamped to 0..1
  Field<float> f(GridShape::make(out[0], out[1], out[2]), 0.0f);
  for_each_row(f.shape, [&](int j, int k) {
    float* dst = f.row(j, k);
    for (const auto& [p, w] : tz.taps[std::size_t(k)]) {
      const float* src = b.data() + (Index(p) * out[1] + j) * out[0];
      for (int i = 0; i < out[0]; ++i) dst[i] += w * src[i];
    }
    const double norm_jk = ty.norm[std::size_t(j)] * tz.norm[std::size_t(k)];
    for (int i = 0; i < out[0]; ++i) {
      const double v = double(dst[i]) / (tx.norm[std::size_t(i)] * norm_jk);
      dst[i] = float(std::clamp(v, 0.0, 1.0));
    }
  });
  return f;
}

}  // namespace bonesim
