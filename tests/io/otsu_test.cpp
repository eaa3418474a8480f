// Otsu (1979) threshold: bimodal and two-valued images, and agreement with a
// brute-force search of the between-class variance over every grey value.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "bonesim/core/error.hpp"
#include "bonesim/io/image_import.hpp"

namespace bonesim {
namespace {

ScalarImage image_of(std::vector<float> values) {
  ScalarImage img;
  img.dims = {int(values.size()), 1, 1};
  img.spacing_um = {1, 1, 1};
  img.values = std::move(values);
  return img;
}

// Deterministic pseudo-random numbers in [0, 1) (LCG), for test images only.
struct Lcg {
  std::uint64_t s = 12345;
  double next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(s >> 11) / double(1ULL << 53);
  }
};

// Threshold t (bone = v >= t) maximising the between-class variance, by trying
// every whole grey value in (min, max].
int brute_force_otsu(const std::vector<float>& v) {
  const float lo = *std::min_element(v.begin(), v.end());
  const float hi = *std::max_element(v.begin(), v.end());
  double best = -1;
  int best_t = 0;
  for (int t = int(lo) + 1; t <= int(hi); ++t) {
    double n0 = 0, n1 = 0, s0 = 0, s1 = 0;
    for (float x : v) {
      if (x < float(t)) {
        n0 += 1;
        s0 += x;
      } else {
        n1 += 1;
        s1 += x;
      }
    }
    if (n0 == 0 || n1 == 0) continue;
    const double d = s0 / n0 - s1 / n1;
    const double between = n0 * n1 * d * d;
    if (between > best + 1e-9 * best) {
      best = between;
      best_t = t;
    }
  }
  return best_t;
}

TEST(Otsu, TwoValuedImageSplitsHalfWay) {
  std::vector<float> v(1000, 10.0f);
  for (int i = 0; i < 300; ++i) v[std::size_t(i) * 3] = 200.0f;
  const double t = otsu_threshold(image_of(v));
  EXPECT_DOUBLE_EQ(t, 105.5);  // middle of the empty bins between 10 and 200
}

TEST(Otsu, TwoValuedFloatImage) {
  const double t = otsu_threshold(image_of({0.25f, 0.25f, 0.25f, 0.75f}));
  EXPECT_GT(t, 0.25);
  EXPECT_LE(t, 0.75);
}

TEST(Otsu, BimodalImageThresholdLiesBetweenTheModes) {
  // Two noisy modes, 60 +- 15 (70 %) and 170 +- 15 (30 %), as float grey values.
  Lcg rng;
  std::vector<float> v;
  for (int i = 0; i < 20000; ++i) {
    const double mode = i % 10 < 7 ? 60.0 : 170.0;
    const double noise = (rng.next() + rng.next() + rng.next() - 1.5) * 30.0;
    v.push_back(float(mode + noise + 0.123));
  }
  const double t = otsu_threshold(image_of(v));
  EXPECT_GT(t, 95.0);
  EXPECT_LT(t, 135.0);
}

TEST(Otsu, MatchesBruteForceOnEightBitImages) {
  Lcg rng;
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<float> v;
    const double a = 40 + 10 * trial, b = 150 + 15 * trial, w = 0.3 + 0.1 * trial;
    for (int i = 0; i < 5000; ++i) {
      const double mode = rng.next() < w ? b : a;
      v.push_back(float(std::floor(std::clamp(mode + (rng.next() - 0.5) * 90.0, 0.0, 255.0))));
    }
    const double t = otsu_threshold(image_of(v));
    const int expected = brute_force_otsu(v);
    // The same segmentation: no grey value lies between the two thresholds.
    for (float x : v)
      EXPECT_EQ(x >= t, x >= float(expected)) << "trial " << trial << " value " << x;
  }
}

TEST(Otsu, UniformImageIsAnError) {
  try {
    otsu_threshold(image_of(std::vector<float>(10, 3.0f)));
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("every voxel has the grey value 3"));
  }
}

}  // namespace
}  // namespace bonesim
