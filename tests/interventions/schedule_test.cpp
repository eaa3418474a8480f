// The interventions list read as a schedule (docs/MODEL.md, "Interventions").
#include "bonesim/interventions/schedule.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace bonesim {
namespace {

TEST(Schedule, DoseEventsExpandEachEntryOfTheType) {
  const std::vector<InterventionConfig> list{
      {.type = "load", .start_day = 10, .end_day = 20, .load_factor = 0.5},
      {.type = "denosumab", .start_day = 365, .dose_mg = 60, .interval_days = 182, .doses = 3},
      {.type = "denosumab", .start_day = 30, .dose_mg = 120, .doses = 1},
      {.type = "opg_fc", .start_day = 5, .dose_mg_per_kg = 3}};
  const std::vector<DoseEvent> d = dose_events(list, "denosumab", 70);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].day, 365.0);
  EXPECT_EQ(d[1].day, 547.0);
  EXPECT_EQ(d[2].day, 729.0);
  EXPECT_EQ(d[2].dose_mg, 60.0);
  EXPECT_EQ(d[3].day, 30.0);
  EXPECT_EQ(d[3].dose_mg, 120.0);
  const std::vector<DoseEvent> opg = dose_events(list, "opg_fc", 70);
  ASSERT_EQ(opg.size(), 1u);
  EXPECT_EQ(opg[0].dose_mg, 210.0);  // 3 mg/kg x 70 kg
  EXPECT_TRUE(dose_events(list, "pth", 70).empty());
  EXPECT_EQ(first_intervention_day(list), 5.0);
  EXPECT_TRUE(std::isinf(first_intervention_day({})));
}

}  // namespace
}  // namespace bonesim
