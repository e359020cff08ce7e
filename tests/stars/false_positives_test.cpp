// The false-positive screen (beyond the reference): established accounts, community clusters,
// and one-time stargazers that are a thin tail of a busy repository.
#include "hubguard/stars/false_positives.hpp"

#include <gtest/gtest.h>

#include "hand_input.hpp"
#include "hubguard/stars/detect.hpp"

namespace hubguard::stars {
namespace {

using testing::HandInput;
using testing::kDay;
using testing::kT0;

constexpr std::int64_t kCentre = kT0 + 40 * kDay;

// 60 accounts star 10 repos together; the first `established` of them have real activity
// (`other` non-star events over `span_days`).
DetectionInput lockstep(int established, std::uint32_t other = 50, std::int64_t span_days = 200) {
  HandInput h;
  std::vector<std::uint32_t> repos;
  for (int r = 0; r < 10; ++r) repos.push_back(h.repo("t/r" + std::to_string(r)));
  for (int u = 0; u < 60; ++u) {
    const auto a = h.actor("acct" + std::to_string(u));
    for (int r = 0; r < 10; ++r) h.star(a, repos[r], kCentre + r * 3600 + u);
    if (u < established) h.make_established(a, other, span_days);
  }
  return h.finish();
}

std::size_t confident(const DetectResult& r) {
  std::size_t n = 0;
  for (auto c : r.confident) n += c;
  return n;
}

TEST(FalsePositives, ThrowawayLockstepAccountsStayConfident) {
  const auto r = detect_fake_stars(lockstep(0));
  EXPECT_EQ(confident(r), 600u);
  ASSERT_FALSE(r.lockstep.clusters.empty());
  EXPECT_EQ(r.false_positives.cluster_community[0], 0);
}

TEST(FalsePositives, ClusterOfMostlyEstablishedAccountsIsACommunity) {
  const auto in = lockstep(30);  // exactly half: community (share >= 0.5)
  const auto r = detect_fake_stars(in);
  ASSERT_FALSE(r.lockstep.clusters.empty());
  EXPECT_EQ(r.false_positives.cluster_community[0], 1);
  EXPECT_DOUBLE_EQ(r.false_positives.cluster_established_share[0], 0.5);
  EXPECT_EQ(confident(r), 0u);
  // Reference labels are kept, with the reason.
  for (std::size_t i = 0; i < in.stars.size(); ++i) {
    EXPECT_EQ(r.signature[i], kSignatureLockstep);
    const bool est = std::stoi(std::string(in.actors.name(in.stars[i].actor).substr(4))) < 30;
    EXPECT_EQ(r.false_positives.reason[i],
              est ? SuspectReason::kEstablishedAccount : SuspectReason::kCommunityCluster);
  }
}

TEST(FalsePositives, MinorityOfEstablishedAccountsOnlyClearsThoseAccounts) {
  const auto r = detect_fake_stars(lockstep(29));
  ASSERT_FALSE(r.lockstep.clusters.empty());
  EXPECT_EQ(r.false_positives.cluster_community[0], 0);
  EXPECT_EQ(confident(r), 310u);  // 31 throwaway accounts x 10 repos
}

TEST(FalsePositives, EstablishedNeedsBothOtherEventsAndSpan) {
  // 9 other events: not established, whatever the span.
  EXPECT_EQ(confident(detect_fake_stars(lockstep(60, 9, 200))), 600u);
  // 10 other events over 30 days: established.
  EXPECT_EQ(confident(detect_fake_stars(lockstep(60, 10, 30))), 0u);
  // Many events but all within 29 days (around the stars): not established.
  auto in = lockstep(0);
  for (auto& s : in.activity) {
    s.events += 50;
    s.first_time = kCentre - 15 * kDay;
    s.last_time = kCentre + 15 * kDay - 1;
  }
  EXPECT_EQ(confident(detect_fake_stars(in)), 600u);
  for (auto& s : in.activity) s.last_time += 1;  // exactly 30 days
  EXPECT_EQ(confident(detect_fake_stars(in)), 0u);
}

TEST(FalsePositives, ScreenCanBeTurnedOff) {
  DetectParams p;
  p.false_positives.enabled = false;
  EXPECT_EQ(confident(detect_fake_stars(lockstep(60), p)), 600u);
}

// A busy repository (`busy` organic stars per day over 100 days) with `tail` one-time
// stargazers spread over the same days, plus an optional burst of `burst` fresh accounts.
DetectionInput busy_repo(int busy, int tail, int burst) {
  HandInput h;
  const auto r = h.repo("popular/repo");
  int n = 0;
  for (int d = 0; d < 100; ++d)
    for (int i = 0; i < busy; ++i) {
      const auto a = h.actor("fan" + std::to_string(n++));
      h.star(a, r, kT0 + d * kDay + i * 60);
      h.make_established(a);
    }
  for (int i = 0; i < tail; ++i)
    h.star(h.actor("once" + std::to_string(i)), r, kT0 + (i % 100) * kDay + 7);
  for (int i = 0; i < burst; ++i)
    h.star(h.actor("bought" + std::to_string(i)), r, kT0 + 50 * kDay + 30 + i);
  return h.finish();
}

TEST(FalsePositives, OneTimeStargazersOfABusyRepoAreAnOrganicTail) {
  const auto in = busy_repo(20, 100, 0);
  const auto r = detect_fake_stars(in);
  ASSERT_EQ(r.low_activity.flagged_repos.size(), 1u);  // the reference flags it
  EXPECT_EQ(confident(r), 0u);
  for (std::size_t i = 0; i < in.stars.size(); ++i)
    if (r.signature[i]) {
      EXPECT_EQ(r.false_positives.reason[i], SuspectReason::kOrganicTail);
    }
  EXPECT_TRUE(r.campaigns.empty());
}

TEST(FalsePositives, ABurstOnTheSameBusyRepoStaysConfident) {
  const auto in = busy_repo(20, 100, 300);
  const auto r = detect_fake_stars(in);
  std::size_t bought = 0;
  for (std::size_t i = 0; i < in.stars.size(); ++i) {
    const bool is_bought = in.actors.name(in.stars[i].actor).rfind("bought", 0) == 0;
    if (is_bought) bought += r.confident[i];
    if (r.confident[i]) {
      EXPECT_TRUE(is_bought || in.actors.name(in.stars[i].actor).rfind("once", 0) == 0);
    }
  }
  EXPECT_EQ(bought, 300u);
}

}  // namespace
}  // namespace hubguard::stars
