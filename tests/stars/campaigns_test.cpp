// The reference's campaign rule: anomalous month (>= 50 fake and >= 50% fake that month) and
// campaign (>= 10% of all stars fake and >= 1 anomalous month), at their boundaries.
#include "hubguard/stars/campaigns.hpp"

#include <gtest/gtest.h>

#include "hand_input.hpp"

namespace hubguard::stars {
namespace {

using testing::HandInput;
using testing::kDay;
using testing::kT0;

struct Case {
  DetectionInput input;
  std::vector<std::uint8_t> fake;
};

// In January: `fake` fake stars and `real_jan` real ones; later months: `real_later` real ones.
Case make(int fake, int real_jan, int real_later) {
  HandInput h;
  const auto r = h.repo("owner/target");
  int n = 0;
  for (int i = 0; i < fake; ++i) h.star(h.actor("f" + std::to_string(n++)), r, kT0 + 3 * kDay + i);
  for (int i = 0; i < real_jan; ++i)
    h.star(h.actor("r" + std::to_string(n++)), r, kT0 + 10 * kDay + i);
  for (int i = 0; i < real_later; ++i)
    h.star(h.actor("r" + std::to_string(n++)), r, kT0 + 60 * kDay + i);
  Case c{h.finish(), {}};
  for (const Star& s : c.input.stars) c.fake.push_back(c.input.actors.name(s.actor)[0] == 'f');
  return c;
}

TEST(Campaigns, FiftyFakeHalfOfTheMonthIsAnomalous) {
  const auto c = make(50, 50, 0);
  const auto found = find_campaigns(c.input, c.fake);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].fake_stars, 50u);
  EXPECT_EQ(found[0].total_stars, 100u);
  ASSERT_EQ(found[0].anomalous_months.size(), 1u);
  EXPECT_EQ(found[0].first_fake, kT0 + 3 * kDay);
  EXPECT_EQ(found[0].last_fake, kT0 + 3 * kDay + 49);
}

TEST(Campaigns, FortyNineFakeIsNotAnomalous) {
  EXPECT_TRUE(find_campaigns(make(49, 0, 0).input, make(49, 0, 0).fake).empty());
}

TEST(Campaigns, LessThanHalfOfTheMonthIsNotAnomalous) {
  const auto c = make(50, 51, 0);
  EXPECT_TRUE(find_campaigns(c.input, c.fake).empty());
}

TEST(Campaigns, TenPercentOfAllStarsIsACampaign) {
  const auto c = make(50, 0, 450);  // 50 / 500
  EXPECT_EQ(find_campaigns(c.input, c.fake).size(), 1u);
}

TEST(Campaigns, JustUnderTenPercentIsNot) {
  const auto c = make(50, 0, 451);  // 50 / 501
  EXPECT_TRUE(find_campaigns(c.input, c.fake).empty());
}

TEST(Campaigns, MonthsAreCalendarMonths) {
  // 30 fake on Jan 31 and 30 on Feb 1: 60 within two days, but no month reaches 50.
  HandInput h;
  const auto r = h.repo("owner/target");
  for (int i = 0; i < 30; ++i)
    h.star(h.actor("a" + std::to_string(i)), r, kT0 + 31 * kDay - 100 + i);
  for (int i = 0; i < 30; ++i) h.star(h.actor("b" + std::to_string(i)), r, kT0 + 31 * kDay + i);
  const auto in = h.finish();
  std::vector<std::uint8_t> fake(in.stars.size(), 1);
  EXPECT_TRUE(find_campaigns(in, fake).empty());
}

}  // namespace
}  // namespace hubguard::stars
