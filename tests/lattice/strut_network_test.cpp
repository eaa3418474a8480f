#include "bonesim/lattice/strut_network.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace bonesim {
namespace {

constexpr std::array<double, 3> kExtent{150.0, 150.0, 150.0};

bool same(const Point3& a, const Point3& b) {
  return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

TEST(StrutNetwork, SameSeedSameNetwork) {
  const StrutNetworkParams p;
  const StrutNetwork a = make_strut_network(kExtent, p, 7);
  const StrutNetwork b = make_strut_network(kExtent, p, 7);
  ASSERT_EQ(a.rods.size(), b.rods.size());
  ASSERT_EQ(a.plates.size(), b.plates.size());
  for (std::size_t q = 0; q < a.rods.size(); ++q) {
    EXPECT_TRUE(same(a.rods[q].a, b.rods[q].a));
    EXPECT_TRUE(same(a.rods[q].b, b.rods[q].b));
  }
  for (std::size_t q = 0; q < a.plates.size(); ++q) EXPECT_TRUE(same(a.plates[q].c, b.plates[q].c));
}

TEST(StrutNetwork, DifferentSeedDifferentNetwork) {
  const StrutNetworkParams p;
  const StrutNetwork a = make_strut_network(kExtent, p, 1);
  const StrutNetwork b = make_strut_network(kExtent, p, 2);
  ASSERT_FALSE(a.rods.empty());
  ASSERT_FALSE(b.rods.empty());
  EXPECT_FALSE(same(a.rods[0].a, b.rods[0].a));
}

TEST(StrutNetwork, PlateFractionIsHonoured) {
  for (const double f : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    StrutNetworkParams p;
    p.plate_fraction = f;
    const StrutNetwork net = make_strut_network(kExtent, p, 3);
    const double struts = double(net.plate_count) + double(net.rods.size());
    ASSERT_GT(struts, 100);
    // Above about 0.7, plates cover most edges and rods run short.
    EXPECT_NEAR(net.plate_count / struts, f, f > 0.7 ? 0.1 : 0.04) << "plate_fraction " << f;
    EXPECT_EQ(net.plates.size(), 2 * std::size_t(net.plate_count));
  }
}

TEST(StrutNetwork, MostStrutsJoinTheMainPiece) {
  StrutNetworkParams p;
  p.join_margin_vox = 1e6;  // every node counts as inside: only loose pieces are pruned
  const StrutNetwork net = make_strut_network(kExtent, p, 4);
  const double kept = double(net.plate_count) + double(net.rods.size());
  EXPECT_LT(net.pruned_strut_count, 0.05 * kept);
}

TEST(StrutNetwork, KeptStrutsJoinInsideTheBox) {
  StrutNetworkParams p;
  p.join_margin_vox = 2.0;
  const StrutNetwork net = make_strut_network(kExtent, p, 4);
  auto inside = [&](const Point3& q) {
    for (int d = 0; d < 3; ++d)
      if (q[d] < -2.0f || q[d] > float(kExtent[d]) + 2.0f) return false;
    return true;
  };
  for (const Segment& s : net.rods) EXPECT_TRUE(inside(s.a) || inside(s.b));
  for (std::size_t q = 0; q < net.plates.size(); q += 2) {
    const Triangle& a = net.plates[q];
    const Triangle& b = net.plates[q + 1];
    EXPECT_TRUE(inside(a.a) || inside(a.b) || inside(a.c) || inside(b.c));
  }
  EXPECT_GT(net.pruned_strut_count, 0);  // the struts that only meet outside
}

TEST(StrutNetwork, PlatesFavourTheLoadAxis) {
  const StrutNetwork net = make_strut_network(kExtent, StrutNetworkParams{}, 5);
  int plates_with_z = 0;
  for (std::size_t q = 0; q < net.plates.size(); q += 2) {
    const Triangle& t = net.plates[q];
    const double ux = t.b[0] - t.a[0], uy = t.b[1] - t.a[1], uz = t.b[2] - t.a[2];
    const double vx = t.c[0] - t.a[0], vy = t.c[1] - t.a[1], vz = t.c[2] - t.a[2];
    const double nz = ux * vy - uy * vx, nx = uy * vz - uz * vy, ny = uz * vx - ux * vz;
    plates_with_z += std::abs(nz) < std::max(std::abs(nx), std::abs(ny));
  }
  // An isotropic choice would give 2/3 of plates containing z.
  EXPECT_GT(plates_with_z, 0.8 * double(net.plate_count));
}

TEST(StrutNetwork, SpacingRescalesTheSameDraws) {
  StrutNetworkParams p;
  p.join_margin_vox = 1e6;
  p.spacing_vox = 30.0;
  const StrutNetwork a = make_strut_network(kExtent, p, 9);
  p.spacing_vox = 31.0;
  const StrutNetwork b = make_strut_network(kExtent, p, 9);
  // Same node count per axis at both spacings, so the same struts, scaled.
  ASSERT_EQ(a.rods.size(), b.rods.size());
  for (int d = 0; d < 3; ++d) EXPECT_NEAR(b.rods[0].a[d], a.rods[0].a[d] * 31.0 / 30.0, 1e-3);
}

TEST(StrutNetwork, CoversTheBoxAndOneCellBeyond) {
  StrutNetworkParams p;
  p.spacing_vox = 25.0;
  const StrutNetwork net = make_strut_network(kExtent, p, 11);
  float lo = 1e9f, hi = -1e9f;
  for (const Segment& s : net.rods)
    for (const Point3* q : {&s.a, &s.b}) lo = std::min(lo, (*q)[0]), hi = std::max(hi, (*q)[0]);
  EXPECT_LT(lo, -p.spacing_vox * 0.5);
  EXPECT_GT(hi, kExtent[0] + p.spacing_vox * 0.5);
}

}  // namespace
}  // namespace bonesim
