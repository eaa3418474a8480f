#include "bonesim/app/progress.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace bonesim {
namespace {

TEST(Progress, LineShowsDayBarRateAndEta) {
  EXPECT_EQ(Progress::line(12.5, 30, 0.5, 3.25, 65, 10),
            "day 12.5/30 [=====>    ]  50% 3.25 steps/s ETA 0:01:05");
  EXPECT_EQ(Progress::line(30, 30, 1.0, 4, 0, 4), "day 30/30 [====] 100% 4 steps/s ETA 0:00:00");
  EXPECT_EQ(Progress::line(0, 30, 0.0, 0, NAN, 4), "day 0/30 [>   ]   0% 0 steps/s ETA --:--:--");
}

TEST(Progress, BarRedrawsOneLine) {
  char buf[512] = {};
  std::FILE* f = fmemopen(buf, sizeof buf, "w");
  Progress p(true, f);
  p.update(1, 4, 1, 4);
  p.update(4, 4, 4, 4);  // the last step is always drawn
  p.finish();
  std::fclose(f);
  const std::string s(buf);
  EXPECT_EQ(s.front(), '\r');
  EXPECT_NE(s.find("day 4/4"), std::string::npos) << s;
  EXPECT_EQ(s.back(), '\n');
}

}  // namespace
}  // namespace bonesim
