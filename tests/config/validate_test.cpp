#include "bonesim/config/validate.hpp"

#include <gtest/gtest.h>

namespace bonesim {
namespace {

TEST(ValidateConfig, DefaultsAreValid) {
  EXPECT_TRUE(validate_config(Config{}).empty());
}

TEST(ValidateConfig, TrabeculaeMustBeResolved) {
  Config c;
  c.lattice.voxel_size_um = 40;
  c.lattice.synthetic.tb_th_um = 60;
  const auto issues = validate_config(c);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].key, "lattice.synthetic.tb_th_um");
}

TEST(ValidateConfig, SampleMustHoldSeveralTrabeculae) {
  Config c;
  c.lattice.synthetic.size_voxels = {150, 20, 150};  // 400 um < 4 x 150 um
  const auto issues = validate_config(c);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].key, "lattice.synthetic.size_voxels");
}

TEST(ValidateConfig, ImageSourceNeedsAPath) {
  Config c;
  c.lattice.source = "image";
  const auto issues = validate_config(c);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].key, "lattice.image.path");
  // The synthetic section is ignored when the bone comes from an image.
  c.lattice.synthetic.tb_th_um = 1;
  EXPECT_EQ(validate_config(c).size(), 1u);
}

TEST(ValidateConfig, TimeStepWithinRun) {
  Config c;
  c.run.days = 1;
  c.run.dt_days = 2;
  ASSERT_EQ(validate_config(c).size(), 1u);
  c.run.days = 0;  // a zero-day run only writes the initial state
  EXPECT_TRUE(validate_config(c).empty());
}

TEST(ValidateConfig, CellKeysAgree) {
  Config c;
  c.cells.osteoclasts.max_nuclei = 2;         // below initial_nuclei (3)
  c.cells.osteoblasts.lining_fraction = 0.9;  // + osteocyte_fraction 0.2 > 1
  const auto issues = validate_config(c);
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].key, "cells.osteoclasts.initial_nuclei");
  EXPECT_EQ(issues[1].key, "cells.osteoblasts.lining_fraction");
  c = Config{};
  c.cells.osteoblasts.arrest_days = c.cells.osteoblasts.reversal_days;
  ASSERT_EQ(validate_config(c).size(), 1u);
  EXPECT_EQ(validate_config(c)[0].key, "cells.osteoblasts.arrest_days");
}

}  // namespace
}  // namespace bonesim
