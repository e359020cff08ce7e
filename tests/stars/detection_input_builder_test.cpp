#include "hubguard/stars/detection_input_builder.hpp"

#include <gtest/gtest.h>

#include "stars_test_support.hpp"

namespace hubguard::stars {
namespace {

std::string ev(const char* type, const char* actor, const char* repo, const char* time, const char* org = nullptr,
               const char* action = "started") {
  std::string s = std::string(R"({"type":")") + type + R"(","actor":{"login":")" + actor + "\"}";
  if (repo != nullptr) s += std::string(R"(,"repo":{"name":")") + repo + "\"}";
  if (org != nullptr) s += std::string(R"(,"org":{"login":")") + org + "\"}";
  s += std::string(R"(,"payload":{"action":")") + action + R"("},"created_at":")" + time + "\"}\n";
  return s;
}

EventTable table_of(const std::string& lines) {
  EventTable t;
  IngestStats s;
  parse_json_lines(lines, t, s);
  sort_by_time(t);
  return t;
}

TEST(DetectionInputBuilder, StargazersOnlySortedIdsAndExactSummaries) {
  const std::string lines =
      ev("WatchEvent", "zed", "o/b", "2015-01-01T10:00:00Z") +
      ev("PushEvent", "zed", "zed/own", "2015-01-01T10:00:00Z", "acme") +  // same second: 1 time
      ev("WatchEvent", "amy", "o/a", "2015-01-01T09:00:00Z") +
      ev("WatchEvent", "amy", "o/b", "2015-01-02T09:00:00Z") +
      ev("IssuesEvent", "amy", "o/c", "2015-01-03T09:00:00Z", "org1") +
      ev("IssuesEvent", "amy", "o/c", "2015-01-03T09:00:01Z", "org2") +
      ev("PushEvent", "never_starred", "x/y", "2015-01-01T00:00:00Z") +
      ev("WatchEvent", "amy", "o/z", "2015-01-04T00:00:00Z", nullptr, "stopped");  // not a star
  EventTable t = table_of(lines);
  TableEventSource src(t);
  auto in = build_detection_input(src);
  ASSERT_TRUE(in.ok()) << in.error().message;
  ASSERT_EQ(in->actors.size(), 2u);  // never_starred is left out
  EXPECT_EQ(in->actors.name(0), "amy");
  EXPECT_EQ(in->actors.name(1), "zed");
  ASSERT_EQ(in->repos.size(), 2u);  // only starred repositories
  EXPECT_EQ(in->repos.name(0), "o/a");
  EXPECT_EQ(in->repos.name(1), "o/b");
  ASSERT_EQ(in->stars.size(), 3u);
  EXPECT_EQ(in->stars[0].actor, 0u);  // amy 09:00 o/a
  EXPECT_EQ(in->stars[0].repo, 0u);
  EXPECT_EQ(in->stars[1].actor, 1u);  // zed 10:00 o/b
  EXPECT_EQ(in->stars[2].time, 1420189200);  // amy 2015-01-02T09:00Z
  ASSERT_EQ(in->activity.size(), 2u);
  const ActorSummary& amy = in->activity[0];
  EXPECT_EQ(amy.events, 5u);
  EXPECT_EQ(amy.distinct_times, 3);  // saturates
  EXPECT_EQ(amy.distinct_repos, 2);  // saturates
  EXPECT_EQ(amy.distinct_orgs, 2);
  EXPECT_EQ(amy.first_time, 1420102800);
  const ActorSummary& zed = in->activity[1];
  EXPECT_EQ(zed.events, 2u);
  EXPECT_EQ(zed.distinct_times, 1);
  EXPECT_EQ(zed.distinct_repos, 2);
  EXPECT_EQ(zed.distinct_orgs, 1);
  EXPECT_EQ(zed.first_time, zed.last_time);
}

TEST(DetectionInputBuilder, WindowIsHalfOpen) {
  const std::string lines = ev("WatchEvent", "a", "o/r", "2015-01-01T00:00:00Z") +
                            ev("WatchEvent", "b", "o/r", "2015-02-01T00:00:00Z") +
                            ev("PushEvent", "b", "b/x", "2015-03-01T00:00:00Z");
  EventTable t = table_of(lines);
  TableEventSource src(t);
  TimeWindow w;
  w.from = 1420070400 + 1;  // just after a's star
  w.to = 1425168000;        // 2015-03-01T00:00:00Z, excluded
  auto in = build_detection_input(src, w);
  ASSERT_TRUE(in.ok());
  ASSERT_EQ(in->actors.size(), 1u);
  EXPECT_EQ(in->actors.name(0), "b");
  EXPECT_EQ(in->activity[0].events, 1u);  // the March push is outside
}

TEST(DetectionInputBuilder, IndependentOfInputOrder) {
  const std::string a = ev("WatchEvent", "p", "o/1", "2015-01-01T00:00:00Z") +
                        ev("WatchEvent", "q", "o/2", "2015-01-01T00:00:00Z");
  const std::string b = ev("WatchEvent", "q", "o/2", "2015-01-01T00:00:00Z") +
                        ev("WatchEvent", "p", "o/1", "2015-01-01T00:00:00Z");
  EventTable ta = table_of(a), tb = table_of(b);
  auto ia = build_detection_input(TableEventSource(ta));
  auto ib = build_detection_input(TableEventSource(tb));
  ASSERT_TRUE(ia.ok() && ib.ok());
  EXPECT_EQ(ia->actors.names(), ib->actors.names());
  ASSERT_EQ(ia->stars.size(), ib->stars.size());
  for (std::size_t i = 0; i < ia->stars.size(); ++i) {
    EXPECT_EQ(ia->stars[i].actor, ib->stars[i].actor);
    EXPECT_EQ(ia->stars[i].repo, ib->stars[i].repo);
  }
}

TEST(DetectionInputBuilder, FromRealHour) {
  HUBGUARD_REQUIRE_REAL_HOUR();
  ReadResult stats;
  auto in = detection_input_from_archives({testing::real_hour()}, {}, {}, &stats);
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_EQ(in->stars.size(), 994u);
  EXPECT_EQ(stats.total.events, 8273u);
  EXPECT_EQ(in->activity.size(), in->actors.size());
  for (std::size_t i = 1; i < in->stars.size(); ++i) EXPECT_LE(in->stars[i - 1].time, in->stars[i].time);
  for (std::size_t i = 1; i < in->actors.size(); ++i)
    EXPECT_LT(in->actors.name(static_cast<std::uint32_t>(i - 1)), in->actors.name(static_cast<std::uint32_t>(i)));
  for (const auto& s : in->activity) EXPECT_GE(s.events, 1u);
}

}  // namespace
}  // namespace hubguard::stars
