// CopyCatch as the reference runs it: hand-made lockstep groups at the boundaries of n, m,
// rho, delta_t and the final ">= 5 repositories with >= 50 cluster stars" filter; chunking;
// determinism across thread counts.
#include "hubguard/stars/copycatch.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "hand_input.hpp"
#include "hubguard/stars/time_chunks.hpp"
#include "hubguard/stars/timestamp.hpp"

namespace hubguard::stars {
namespace {

using testing::HandInput;
using testing::kDay;
using testing::kT0;

constexpr std::int64_t kCentre = kT0 + 40 * kDay;  // well inside the first chunk

// `users` accounts each star repos [0, repos) at exactly the repo's centre, except that user u
// skips repo r when skip(u, r). Repos are centred `spacing` apart (a day by default).
struct Lockstep {
  HandInput h;
  std::vector<std::uint32_t> users, repos;
  static inline std::int64_t spacing = kDay;
  Lockstep(int n_users, int n_repos, const std::function<bool(int, int)>& skip = {}) {
    for (int r = 0; r < n_repos; ++r) repos.push_back(h.repo("target/r" + std::to_string(r)));
    for (int u = 0; u < n_users; ++u) {
      users.push_back(h.actor("acct" + std::to_string(u)));
      for (int r = 0; r < n_repos; ++r)
        if (!skip || !skip(u, r)) h.star(users.back(), repos[r], centre(r));
    }
  }
  static std::int64_t centre(int r) { return kCentre + r * spacing; }
};

CopyCatchParams one_thread() {
  CopyCatchParams p;
  p.threads = 1;
  return p;
}

std::size_t count(const std::vector<std::uint8_t>& v) {
  return static_cast<std::size_t>(std::count(v.begin(), v.end(), 1));
}

TEST(TimeChunks, ReferenceWindowGivesTwentyOneChunks) {
  std::vector<Star> stars{{0, 0, *parse_timestamp("2019-07-01T00:00:00Z")},
                          {0, 0, *parse_timestamp("2024-12-31T23:59:59Z")}};
  const auto chunks = make_time_chunks(stars, 6, 3);
  ASSERT_EQ(chunks.size(), 21u);
  EXPECT_EQ(format_iso8601_utc(chunks[0].begin), "2019-07-01T00:00:00Z");
  EXPECT_EQ(format_iso8601_utc(chunks[0].end), "2020-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601_utc(chunks[1].begin), "2019-10-01T00:00:00Z");
  EXPECT_EQ(format_iso8601_utc(chunks[20].begin), "2024-07-01T00:00:00Z");
  EXPECT_EQ(format_iso8601_utc(chunks[20].end), "2025-01-01T00:00:00Z");
  EXPECT_EQ(chunks[20].last_star, 2u);
}

TEST(CopyCatch, FindsAPlantedLockstepGroupAndMarksAllItsStars) {
  Lockstep l(60, 10);
  const auto in = l.h.finish();
  const auto r = run_copycatch(in, one_thread());
  ASSERT_GE(r.clusters.size(), 1u);
  const auto& c = r.clusters[0];
  EXPECT_EQ(c.users.size(), 60u);
  ASSERT_EQ(c.repos.size(), 10u);
  for (const auto& cr : c.repos) {
    EXPECT_TRUE(cr.marked);
    EXPECT_EQ(cr.cluster_stars, 60u);
    const int idx = std::stoi(std::string(in.repos.name(cr.repo).substr(8)));
    EXPECT_DOUBLE_EQ(cr.centre, static_cast<double>(Lockstep::centre(idx)));
  }
  EXPECT_EQ(count(r.star_is_fake), 600u);
  // Every seed converged to the same group: one cluster per chunk that holds it.
  for (const auto& other : r.clusters) EXPECT_EQ(other.users, c.users);
}

TEST(CopyCatch, FortyNineUsersAreNotACluster) {
  CopyCatchParams p = one_thread();
  p.min_seed_stars = 1;
  p.min_stars_per_repo = 1;  // isolate the n rule
  EXPECT_TRUE(run_copycatch(Lockstep(49, 10).h.finish(), p).clusters.empty());
  EXPECT_FALSE(run_copycatch(Lockstep(50, 10).h.finish(), p).clusters.empty());
}

TEST(CopyCatch, NineRepositoriesAreNotACluster) {
  EXPECT_TRUE(run_copycatch(Lockstep(60, 9).h.finish(), one_thread()).clusters.empty());
}

TEST(CopyCatch, UserFitsWithExactlyRhoTimesMRepositories) {
  Lockstep l(60, 10);
  // Extra users: "five" starred 5 of the 10 (fits, 0.5 * 10), "four" starred 4 (does not).
  const auto five = l.h.actor("five"), four = l.h.actor("four");
  for (int r = 0; r < 5; ++r) l.h.star(five, l.repos[r], Lockstep::centre(r));
  for (int r = 0; r < 4; ++r) l.h.star(four, l.repos[r], Lockstep::centre(r));
  const auto r = run_copycatch(l.h.finish(), one_thread());
  ASSERT_FALSE(r.clusters.empty());
  const auto& users = r.clusters[0].users;
  EXPECT_TRUE(std::binary_search(users.begin(), users.end(), five));
  EXPECT_FALSE(std::binary_search(users.begin(), users.end(), four));
  EXPECT_EQ(users.size(), 61u);
}

// Two extra users star every repo at centre +/- offset. All repos share one centre and the
// offsets are symmetric, so no centre moves and the boundary is exact.
std::vector<std::uint32_t> users_with_offset(std::int64_t offset) {
  Lockstep::spacing = 0;
  Lockstep l(60, 10);
  const auto early = l.h.actor("early"), late = l.h.actor("late");
  for (int r = 0; r < 10; ++r) {
    l.h.star(early, l.repos[r], Lockstep::centre(r) - offset);
    l.h.star(late, l.repos[r], Lockstep::centre(r) + offset);
  }
  Lockstep::spacing = kDay;
  const auto in = l.h.finish();
  const auto r = run_copycatch(in, one_thread());
  if (r.clusters.empty()) return {};
  std::vector<std::uint32_t> extra;
  for (auto u : r.clusters[0].users)
    if (in.actors.name(u) == "early" || in.actors.name(u) == "late") extra.push_back(u);
  return extra;
}

TEST(CopyCatch, StarExactlyDeltaTFromTheCentreFits) {
  EXPECT_EQ(users_with_offset(15 * kDay).size(), 2u);
}

TEST(CopyCatch, StarOneSecondPastDeltaTDoesNot) {
  EXPECT_TRUE(users_with_offset(15 * kDay + 1).empty());
}

// Repos [0, heavy) starred by all 60 users; the others by 40 users each, at least five repos per
// user in total. The final filter needs >= 5 repos with >= 50 cluster stars.
CopyCatchResult with_heavy_repos(int heavy) {
  Lockstep l(60, 10, [heavy](int u, int r) { return r >= heavy && (u + r) % 3 == 0; });
  return run_copycatch(l.h.finish(), one_thread());
}

TEST(CopyCatch, FiveRepositoriesWithFiftyClusterStarsKeepTheCluster) {
  const auto r = with_heavy_repos(5);
  ASSERT_FALSE(r.clusters.empty());
  std::size_t marked = 0;
  for (const auto& cr : r.clusters[0].repos) marked += cr.marked;
  EXPECT_EQ(marked, 5u);
  EXPECT_EQ(count(r.star_is_fake), 300u);  // 60 users x 5 marked repos
}

TEST(CopyCatch, FourDoNot) {
  const auto r = with_heavy_repos(4);
  EXPECT_TRUE(r.clusters.empty());
  EXPECT_EQ(count(r.star_is_fake), 0u);
}

TEST(CopyCatch, UnrelatedOrganicStarsAreNotMarked) {
  Lockstep l(60, 10);
  // Organic stargazers of the same repos, weeks before and after the burst (balanced, so the
  // seeds' mean star time stays near the burst).
  for (int u = 0; u < 12; ++u)
    for (int r = 0; r < 10; ++r)
      l.h.star(l.h.actor("fan" + std::to_string(u)), l.repos[r],
               Lockstep::centre(r) + (u % 2 ? 50 : -38) * kDay + u * 3600);
  const auto in = l.h.finish();
  const auto r = run_copycatch(in, one_thread());
  ASSERT_FALSE(r.clusters.empty());
  for (std::size_t i = 0; i < in.stars.size(); ++i)
    EXPECT_EQ(r.star_is_fake[i] != 0, in.actors.name(in.stars[i].actor).rfind("acct", 0) == 0);
}

TEST(CopyCatch, ExtensionMarksRepositoriesBeyondM) {
  Lockstep l(60, 14);
  const auto in = l.h.finish();
  EXPECT_EQ(count(run_copycatch(in, one_thread()).star_is_fake), 600u);  // reference: m repos
  CopyCatchParams p = one_thread();
  p.extend_repos = true;
  EXPECT_EQ(count(run_copycatch(in, p).star_is_fake), 840u);
}

TEST(CopyCatch, SameResultWithOneOrTwoThreads) {
  Lockstep a(70, 12, [](int u, int r) { return (u * 7 + r) % 5 == 0; });
  Lockstep b(70, 11, [](int u, int r) { return (u + r * 3) % 6 == 0; });
  // Merge b into a's input shifted by 20 days so both groups share chunks.
  HandInput h;
  for (const auto& s : a.h.finish().stars)
    h.star(h.actor("a" + std::to_string(s.actor)), h.repo("a/" + std::to_string(s.repo)), s.time);
  for (const auto& s : b.h.finish().stars)
    h.star(h.actor("b" + std::to_string(s.actor)), h.repo("b/" + std::to_string(s.repo)),
           s.time + 20 * kDay);
  const auto in = h.finish();
  CopyCatchParams p1 = one_thread(), p2 = one_thread();
  p2.threads = 2;
  const auto r1 = run_copycatch(in, p1), r2 = run_copycatch(in, p2);
  ASSERT_EQ(r1.clusters.size(), r2.clusters.size());
  EXPECT_GE(r1.clusters.size(), 2u);
  for (std::size_t i = 0; i < r1.clusters.size(); ++i) {
    EXPECT_EQ(r1.clusters[i].users, r2.clusters[i].users);
    EXPECT_EQ(r1.clusters[i].seed_repo, r2.clusters[i].seed_repo);
    ASSERT_EQ(r1.clusters[i].repos.size(), r2.clusters[i].repos.size());
    for (std::size_t k = 0; k < r1.clusters[i].repos.size(); ++k) {
      EXPECT_EQ(r1.clusters[i].repos[k].repo, r2.clusters[i].repos[k].repo);
      EXPECT_EQ(r1.clusters[i].repos[k].centre, r2.clusters[i].repos[k].centre);
    }
  }
  EXPECT_EQ(r1.star_is_fake, r2.star_is_fake);
}

}  // namespace
}  // namespace hubguard::stars
