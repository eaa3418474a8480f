// Otsu's threshold: the grey value that maximises the between-class variance of the
// histogram (Otsu 1979, IEEE Trans. Syst. Man Cybern. 9:62-66, eq. 18).
#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <vector>

#include "bonesim/core/error.hpp"
#include "bonesim/core/parallel.hpp"
#include "bonesim/io/image_import.hpp"

namespace bonesim {

namespace {

constexpr int kBins = 256;
constexpr Index kBlock = Index(1) << 16;  // values per parallel block (fixed: thread-count free)

struct Range {
  double lo = 0, hi = 0;
  bool integral = true;  // every value a whole number
};

}  // namespace

double otsu_threshold(const ScalarImage& image) {
  const Index n = Index(image.values.size());
  if (n == 0) throw InputError("Otsu threshold: the image is empty");
  const float* v = image.values.data();
  const Index blocks = (n + kBlock - 1) / kBlock;
  auto block_end = [&](Index b) { return std::min(n, (b + 1) * kBlock); };

  std::vector<Range> ranges(std::size_t(blocks), Range{});
  parallel_for(0, blocks, [&](Index b) {
    Range r{v[b * kBlock], v[b * kBlock], true};
    for (Index i = b * kBlock; i < block_end(b); ++i) {
      r.lo = std::min(r.lo, double(v[i]));
      r.hi = std::max(r.hi, double(v[i]));
      r.integral = r.integral && v[i] == std::floor(v[i]);
    }
    ranges[std::size_t(b)] = r;
  });
  Range all = ranges.front();
  for (const Range& r : ranges) {
    all.lo = std::min(all.lo, r.lo);
    all.hi = std::max(all.hi, r.hi);
    all.integral = all.integral && r.integral;
  }
  if (all.lo == all.hi) {
    std::ostringstream msg;
    msg << "Otsu threshold undefined: every voxel has the grey value " << all.lo
        << "; use threshold_method: value";
    throw InputError(msg.str());
  }

  // Whole-number images spanning at most 256 values (8-bit data) get one bin per value;
  // others 256 equal bins over [min, max].
  const bool exact = all.integral && all.hi - all.lo <= kBins - 1;
  const double width = exact ? 1.0 : (all.hi - all.lo) / kBins;
  auto bin = [&](float x) { return std::min(kBins - 1, int((double(x) - all.lo) / width)); };
  using Histogram = std::array<Index, kBins>;
  std::vector<Histogram> partial(std::size_t(blocks), Histogram{});
  parallel_for(0, blocks, [&](Index b) {
    Histogram& h = partial[std::size_t(b)];
    for (Index i = b * kBlock; i < block_end(b); ++i) ++h[std::size_t(bin(v[i]))];
  });
  Histogram hist{};
  for (const Histogram& h : partial) {
    for (int k = 0; k < kBins; ++k) hist[std::size_t(k)] += h[std::size_t(k)];
  }

  // Class 0 = bins 0..k, class 1 = bins k+1..255. w0 * w1 * (m0 - m1)^2 is N^2 times
  // Otsu's sigma_B^2(k), so it has the same maximum.
  double total = 0, total_moment = 0;
  for (int k = 0; k < kBins; ++k) {
    total += double(hist[std::size_t(k)]);
    total_moment += double(k) * double(hist[std::size_t(k)]);
  }
  double w0 = 0, moment0 = 0, best = -1;
  int first = 0, last = 0;
  for (int k = 0; k + 1 < kBins; ++k) {
    w0 += double(hist[std::size_t(k)]);
    moment0 += double(k) * double(hist[std::size_t(k)]);
    const double w1 = total - w0;
    if (w0 == 0 || w1 == 0) continue;
    const double d = moment0 / w0 - (total_moment - moment0) / w1;
    const double between = w0 * w1 * d * d;
    if (between > best) {
      best = between;
      first = last = k;
    } else if (between == best) {
      last = k;  // empty bins leave the variance unchanged: a plateau
    }
  }
  // Bone is value >= threshold: the lower edge of the first class-1 bin, taken in the
  // middle of a plateau of empty bins so that a two-valued image splits half-way.
  auto lower_edge = [&](int k) { return all.lo + double(k + 1) * width; };
  return 0.5 * (lower_edge(first) + lower_edge(last));
}

}  // namespace bonesim
