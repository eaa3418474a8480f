#include "bonesim/mechanics/mechanosensing.hpp"

#include <gtest/gtest.h>

namespace bonesim {
namespace {

TEST(Mechanosensing, LazyZoneLeavesProductionAlone) {
  const MechanosensingConfig cfg;
  for (const double s : {cfg.disuse_microstrain, 1000.0, cfg.overload_microstrain}) {
    const OsteocyteResponse r = osteocyte_response(cfg, s);
    EXPECT_EQ(r.rankl, 1.0) << s;
    EXPECT_EQ(r.opg, 1.0) << s;
    EXPECT_EQ(r.formation, 1.0) << s;
  }
}

TEST(Mechanosensing, DisuseRaisesRanklAndLowersOpgAndFormationLinearlyToZeroStrain) {
  MechanosensingConfig cfg;
  cfg.disuse_microstrain = 400;
  cfg.rankl_disuse_gain = 2;
  cfg.opg_disuse_loss = 0.5;
  cfg.formation_disuse_loss = 1.5;
  const OsteocyteResponse none = osteocyte_response(cfg, 0);
  EXPECT_DOUBLE_EQ(none.rankl, 3.0);
  EXPECT_DOUBLE_EQ(none.opg, 0.5);
  EXPECT_DOUBLE_EQ(none.formation, 0.0);  // floored
  const OsteocyteResponse half = osteocyte_response(cfg, 200);
  EXPECT_DOUBLE_EQ(half.rankl, 2.0);
  EXPECT_DOUBLE_EQ(half.opg, 0.75);
  EXPECT_DOUBLE_EQ(half.formation, 0.25);
  EXPECT_DOUBLE_EQ(osteocyte_response(cfg, -50).rankl, 3.0);  // no strain below none
}

TEST(Mechanosensing, OverloadLowersRanklRaisesOpgAndFormationSaturatingAtTwiceTheThreshold) {
  MechanosensingConfig cfg;
  cfg.overload_microstrain = 2000;
  cfg.rankl_overload_loss = 0.5;
  cfg.opg_overload_gain = 1.0;
  cfg.formation_overload_gain = 3.0;
  const OsteocyteResponse mid = osteocyte_response(cfg, 3000);
  EXPECT_DOUBLE_EQ(mid.rankl, 0.75);
  EXPECT_DOUBLE_EQ(mid.opg, 1.5);
  EXPECT_DOUBLE_EQ(mid.formation, 2.5);
  for (const double s : {4000.0, 9000.0}) {
    EXPECT_DOUBLE_EQ(osteocyte_response(cfg, s).rankl, 0.5) << s;
    EXPECT_DOUBLE_EQ(osteocyte_response(cfg, s).opg, 2.0) << s;
    EXPECT_DOUBLE_EQ(osteocyte_response(cfg, s).formation, 4.0) << s;
  }
}

}  // namespace
}  // namespace bonesim
