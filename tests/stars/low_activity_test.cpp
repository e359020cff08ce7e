// The reference's low-activity rule, at each of its boundaries.
#include "hubguard/stars/low_activity.hpp"

#include <gtest/gtest.h>

#include "hand_input.hpp"

namespace hubguard::stars {
namespace {

using testing::HandInput;
using testing::kDay;
using testing::kT0;

ActorSummary summary(std::int64_t first, std::int64_t last, std::uint8_t times, std::uint8_t repos,
                     std::uint8_t orgs) {
  ActorSummary s;
  s.first_time = first;
  s.last_time = last;
  s.events = times;
  s.distinct_times = times;
  s.distinct_repos = repos;
  s.distinct_orgs = orgs;
  return s;
}

TEST(LowActivityAccount, OneDayTwoTimestampsOneRepoOneOrgIsLowActivity) {
  EXPECT_TRUE(is_low_activity_account(summary(kT0, kT0 + 3600, 2, 1, 1), {}));
  EXPECT_TRUE(is_low_activity_account(summary(kT0, kT0, 1, 1, 0), {}));
}

TEST(LowActivityAccount, ThreeTimestampsIsNot) {
  EXPECT_FALSE(is_low_activity_account(summary(kT0, kT0 + 3600, 3, 1, 1), {}));
}

TEST(LowActivityAccount, TwoUtcDaysIsNotEvenWithinTwentyFourHours) {
  // 23:59:59 and 00:00:00 the next day: one second apart, two days.
  EXPECT_FALSE(is_low_activity_account(summary(kT0 + kDay - 1, kT0 + kDay, 2, 1, 1), {}));
  EXPECT_TRUE(is_low_activity_account(summary(kT0, kT0 + kDay - 1, 2, 1, 1), {}));
}

TEST(LowActivityAccount, TwoReposOrTwoOrgsIsNot) {
  EXPECT_FALSE(is_low_activity_account(summary(kT0, kT0, 1, 2, 1), {}));
  EXPECT_FALSE(is_low_activity_account(summary(kT0, kT0, 1, 1, 2), {}));
}

TEST(LowActivityAccount, NoEventsIsNot) {
  EXPECT_FALSE(is_low_activity_account(ActorSummary{}, {}));
}

// `low` one-star accounts and `organic` established accounts star the repository.
DetectionInput repo_with(int low, int organic, int restars = 0) {
  HandInput h;
  const auto r = h.repo("owner/target");
  for (int i = 0; i < low; ++i) h.star(h.actor("low" + std::to_string(i)), r, kT0 + i * 60);
  for (int i = 0; i < restars; ++i) h.star(0, r, kT0 + 30, /*count_event=*/false);
  for (int i = 0; i < organic; ++i) {
    const auto a = h.actor("org" + std::to_string(i));
    h.star(a, r, kT0 + i * 60 + 7);
    h.make_established(a);
  }
  return h.finish();
}

TEST(LowActivityRepo, FiftyDistinctLowActivityStargazersFlagTheRepo) {
  const auto in = repo_with(50, 20);
  const auto r = detect_low_activity(in);
  ASSERT_EQ(r.flagged_repos.size(), 1u);
  std::size_t fake = 0;
  for (std::size_t i = 0; i < in.stars.size(); ++i) {
    fake += r.star_is_fake[i];
    // Only the low-activity accounts' stars are labelled.
    EXPECT_EQ(r.star_is_fake[i] != 0, in.actors.name(in.stars[i].actor).rfind("low", 0) == 0);
  }
  EXPECT_EQ(fake, 50u);
}

TEST(LowActivityRepo, FortyNineDoNot) {
  const auto r = detect_low_activity(repo_with(49, 20));
  EXPECT_TRUE(r.flagged_repos.empty());
  for (auto f : r.star_is_fake) EXPECT_EQ(f, 0);
}

TEST(LowActivityRepo, RepeatedStarsOfOneAccountCountOnce) {
  // 49 accounts, one of which starred twice at the same second: still 49 stargazers.
  const auto r = detect_low_activity(repo_with(49, 0, /*restars=*/1));
  EXPECT_TRUE(r.flagged_repos.empty());
}

TEST(LowActivityRepo, ThresholdIsAParameter) {
  LowActivityParams p;
  p.min_stargazers = 10;
  EXPECT_EQ(detect_low_activity(repo_with(10, 0), p).flagged_repos.size(), 1u);
}

}  // namespace
}  // namespace hubguard::stars
