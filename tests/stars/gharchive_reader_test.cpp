#include "hubguard/stars/gharchive_reader.hpp"

#include <gtest/gtest.h>

#include <map>

#include "hubguard/stars/archive_files.hpp"
#include "stars_test_support.hpp"

namespace hubguard::stars {
namespace {

using testing::read_file;
using testing::real_hour;
using testing::TempDir;
using testing::write_file;

std::map<std::string, std::uint64_t> kinds(const EventTable& t) {
  std::map<std::string, std::uint64_t> out;
  for (const Event& e : t.events) ++out[std::string(event_kind_name(e.kind))];
  return out;
}

TEST(GhArchiveReader, RealHourMatchesPublishedCounts) {
  HUBGUARD_REQUIRE_REAL_HOUR();
  ParsedFile f = read_archive_file(real_hour());
  EXPECT_EQ(f.stats.lines, 8273u);
  EXPECT_EQ(f.stats.events, 8273u);
  EXPECT_EQ(f.stats.stars, 994u);
  EXPECT_EQ(f.stats.malformed, 0u);
  EXPECT_EQ(f.stats.unknown_shape, 0u);
  EXPECT_EQ(f.stats.truncated, 0u);
  EXPECT_EQ(f.stats.bytes_in, 2673686u);
  EXPECT_TRUE(f.stats.error.empty()) << f.stats.error;
  // The README's per-type counts (every 2015 WatchEvent is a "started" star).
  const std::map<std::string, std::uint64_t> expected{
      {"PushEvent", 4284}, {"WatchEvent", 994}, {"CreateEvent", 981}, {"IssueCommentEvent", 574},
      {"PullRequestEvent", 367}, {"IssuesEvent", 361}, {"ForkEvent", 285}, {"DeleteEvent", 156},
      {"GollumEvent", 123}, {"PullRequestReviewCommentEvent", 50}, {"CommitCommentEvent", 41},
      {"ReleaseEvent", 30}, {"MemberEvent", 17}, {"PublicEvent", 10}};
  EXPECT_EQ(kinds(f.table), expected);
  // First line of the hour: kevinvanhove starred kevinvanhove/cssobjects at 12:00:01Z.
  ASSERT_FALSE(f.table.events.empty());
  const Event& first = f.table.events.front();
  EXPECT_EQ(first.kind, EventKind::kStar);
  EXPECT_EQ(f.table.actors.name(first.actor), "kevinvanhove");
  EXPECT_EQ(f.table.repos.name(first.repo), "kevinvanhove/cssobjects");
  EXPECT_EQ(first.time, 1420113601);
  for (const Event& e : f.table.events) {
    EXPECT_GE(e.time, 1420113600);
    EXPECT_LT(e.time, 1420113600 + 3600);
    EXPECT_NE(e.repo, kNoId);
  }
  EXPECT_GT(f.table.orgs.size(), 0u);  // 2015+ "org" objects are read
}

TEST(GhArchiveReader, TruncatedGzipKeepsDecodedPrefixAndIsCounted) {
  HUBGUARD_REQUIRE_REAL_HOUR();
  TempDir tmp;
  const std::string whole = read_file(real_hour());
  const auto cut = tmp.path() / "2015-01-01-12.json.gz";
  write_file(cut, whole.substr(0, whole.size() / 2));
  ParsedFile f = read_archive_file(cut);
  EXPECT_EQ(f.stats.truncated, 1u);
  EXPECT_FALSE(f.stats.error.empty());
  EXPECT_GT(f.stats.events, 1000u);
  EXPECT_LT(f.stats.events, 8273u);
  // The last partial line may be cut mid-record: counted, not dropped silently.
  EXPECT_EQ(f.stats.lines, f.stats.events + f.stats.malformed + f.stats.unknown_shape);
}

TEST(GhArchiveReader, CorruptGzipIsCountedNotFatal) {
  HUBGUARD_REQUIRE_REAL_HOUR();
  TempDir tmp;
  std::string bytes = read_file(real_hour());
  for (std::size_t i = bytes.size() / 3; i < bytes.size() / 3 + 64; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
  const auto bad = tmp.path() / "bad.json.gz";
  write_file(bad, bytes);
  ParsedFile f = read_archive_file(bad);
  EXPECT_EQ(f.stats.truncated, 1u);
  EXPECT_FALSE(f.stats.error.empty());
  EXPECT_LT(f.stats.events, 8273u);
}

TEST(GhArchiveReader, MultiMemberGzipAndTrailingGarbage) {
  HUBGUARD_REQUIRE_REAL_HOUR();
  TempDir tmp;
  const std::string one = read_file(real_hour());
  write_file(tmp.path() / "two.json.gz", one + one);
  ParsedFile two = read_archive_file(tmp.path() / "two.json.gz");
  EXPECT_EQ(two.stats.events, 2u * 8273u);
  EXPECT_EQ(two.stats.stars, 2u * 994u);
  EXPECT_EQ(two.stats.truncated, 0u);

  write_file(tmp.path() / "padded.json.gz", one + std::string(100, '\0'));
  EXPECT_EQ(read_archive_file(tmp.path() / "padded.json.gz").stats.truncated, 0u);

  write_file(tmp.path() / "junk.json.gz", one + "not gzip at all");
  ParsedFile junk = read_archive_file(tmp.path() / "junk.json.gz");
  EXPECT_EQ(junk.stats.events, 8273u);
  EXPECT_EQ(junk.stats.truncated, 1u);
}

TEST(GhArchiveReader, EmptyAndMissingFiles) {
  TempDir tmp;
  write_file(tmp.path() / "empty.json.gz", "");
  ParsedFile e = read_archive_file(tmp.path() / "empty.json.gz");
  EXPECT_EQ(e.stats.truncated, 1u);
  EXPECT_EQ(e.stats.events, 0u);
  ParsedFile m = read_archive_file(tmp.path() / "missing.json.gz");
  EXPECT_FALSE(m.stats.error.empty());
  EXPECT_EQ(m.stats.events, 0u);
}

// Hand-written lines in the 2011-2014 Timeline shape (key order as the archive wrote it:
// not fixed, "type" often after "payload").
constexpr const char* kTimelineLines =
    R"({"created_at":"2012-03-10T15:27:06-08:00","payload":{"action":"started"},"public":true,"type":"WatchEvent","url":"https://github.com/bob/proj","actor":"alice","actor_attributes":{"login":"alice","type":"User","gravatar_id":"x"},"repository":{"id":1,"name":"proj","url":"https://github.com/bob/proj","watchers":3,"owner":"bob","organization":"bobcorp","private":false}})"
    "\n"
    R"({"repository":{"url":"https://github.com/dynetk/demo_app","watchers":1,"name":"demo_app","owner":"dynetk","created_at":"2012/03/18 00:00:05 -0700"},"actor_attributes":{"name":"R","type":"User","login":"dynetk"},"created_at":"2012/03/18 00:00:05 -0700","public":true,"actor":"dynetk","payload":{"master_branch":"master","ref":null,"ref_type":"repository"},"url":"https://github.com/dynetk/demo_app","type":"CreateEvent"})"
    "\n"
    R"({"actor":"kelsonzhao","public":true,"created_at":"2013-01-01T00:00:48-08:00","type":"FollowEvent","payload":{"target":{"id":3,"login":"pjhyett"}},"actor_attributes":{"login":"kelsonzhao","type":"User"},"url":"https://github.com/pjhyett"})"
    "\n"
    R"({"created_at":"2014-06-01T01:05:30-07:00","payload":{"action":"started"},"type":"WatchEvent","actor_attributes":{"login":"carol"},"repository":{"name":"r","owner":"dave"}})"
    "\n";

TEST(GhArchiveReader, TimelineShapeBefore2015) {
  EventTable t;
  IngestStats s;
  parse_json_lines(kTimelineLines, t, s);
  EXPECT_EQ(s.lines, 4u);
  EXPECT_EQ(s.events, 4u);
  EXPECT_EQ(s.stars, 2u);
  EXPECT_EQ(s.malformed + s.unknown_shape, 0u);
  ASSERT_EQ(t.events.size(), 4u);

  const Event& star = t.events[0];
  EXPECT_EQ(star.kind, EventKind::kStar);
  EXPECT_EQ(t.actors.name(star.actor), "alice");
  EXPECT_EQ(t.repos.name(star.repo), "bob/proj");
  ASSERT_NE(star.org, kNoId);
  EXPECT_EQ(t.orgs.name(star.org), "bobcorp");
  EXPECT_EQ(star.time, 1331422026);  // 15:27:06 -08:00 = 23:27:06 UTC

  const Event& create = t.events[1];
  EXPECT_EQ(create.kind, EventKind::kCreate);
  EXPECT_EQ(t.actors.name(create.actor), "dynetk");
  EXPECT_EQ(t.repos.name(create.repo), "dynetk/demo_app");
  EXPECT_EQ(create.org, kNoId);
  EXPECT_EQ(create.time, 1332054005);  // "2012/03/18 00:00:05 -0700"

  const Event& follow = t.events[2];
  EXPECT_EQ(follow.kind, EventKind::kFollow);
  EXPECT_EQ(follow.repo, kNoId);  // no repository: an event, but not of any repo

  const Event& carol = t.events[3];  // actor only in actor_attributes
  EXPECT_EQ(carol.kind, EventKind::kStar);
  EXPECT_EQ(t.actors.name(carol.actor), "carol");
  EXPECT_EQ(t.repos.name(carol.repo), "dave/r");
}

TEST(GhArchiveReader, MalformedAndUnknownShapesAreCounted) {
  const std::string lines =
      R"({"type":"PushEvent","actor":)" "\n"                                      // cut JSON
      "not json at all\n"                                                        // not JSON
      "[1,2,3]\n"                                                                // not an object
      R"({"type":"PushEvent","actor":{"login":"a"},"created_at":"2015-01-01T00:00:00Z"}{"x":1})" "\n"  // glued
      "\n   \n"                                                                  // blank: not records
      R"({"type":"PushEvent","created_at":"2015-01-01T00:00:00Z","repo":{"name":"a/b"}})" "\n"  // no actor
      R"({"type":"PushEvent","actor":{"login":"a"},"created_at":"yesterday"})" "\n"            // bad time
      R"({"actor":{"login":"a"},"created_at":"2015-01-01T00:00:00Z"})" "\n"                     // no type
      R"({"id":"1","type":"WatchEvent","actor":{"login":"ok"},"repo":{"name":"o/r"},"payload":{"action":"started"},"created_at":"2015-01-01T00:00:00Z"})" "\n"
      R"({"id":"2","type":"WatchEvent","actor":{"login":"ok"},"repo":{"name":"o/r"},"payload":{},"created_at":"2015-01-01T00:00:00Z"})";  // no final newline
  EventTable t;
  IngestStats s;
  parse_json_lines(lines, t, s);
  EXPECT_EQ(s.lines, 9u);
  EXPECT_EQ(s.malformed, 4u);
  EXPECT_EQ(s.unknown_shape, 3u);
  EXPECT_EQ(s.events, 2u);
  EXPECT_EQ(s.stars, 1u);  // a WatchEvent without action "started" is not a star
  ASSERT_EQ(t.events.size(), 2u);
  EXPECT_EQ(t.events[1].kind, EventKind::kWatchOther);
}

TEST(GhArchiveReader, OverlongLineIsSkippedAndCounted) {
  TempDir tmp;
  const std::string good =
      R"({"type":"PushEvent","actor":{"login":"a"},"repo":{"name":"a/b"},"created_at":"2015-01-01T00:00:00Z"})";
  const std::string huge = R"({"type":"PushEvent","payload":")" + std::string(50000, 'x') + "\"}";
  write_file(tmp.path() / "h.json", good + "\n" + huge + "\n" + good + "\n");
  ReadOptions o;
  o.chunk_bytes = 4096;
  o.max_line_bytes = 8192;
  ParsedFile f = read_archive_file(tmp.path() / "h.json", o);
  EXPECT_EQ(f.stats.lines, 3u);
  EXPECT_EQ(f.stats.malformed, 1u);
  EXPECT_EQ(f.stats.events, 2u);
  // With room for it, the same line is read (and is an unknown shape: no actor).
  o.max_line_bytes = 1 << 20;
  ParsedFile g = read_archive_file(tmp.path() / "h.json", o);
  EXPECT_EQ(g.stats.events, 2u);
  EXPECT_EQ(g.stats.unknown_shape, 1u);
}

TEST(GhArchiveReader, DirectoriesAreWalkedInNaturalOrder) {
  TempDir tmp;
  auto line = [](const char* actor, const char* time) {
    return std::string(R"({"type":"PushEvent","actor":{"login":")") + actor + R"("},"repo":{"name":"o/r"},"created_at":")" +
           time + "\"}\n";
  };
  write_file(tmp.path() / "a" / "2015-01-01-10.json", line("ten", "2015-01-01T10:00:00Z"));
  write_file(tmp.path() / "a" / "2015-01-01-2.json", line("two", "2015-01-01T02:00:00Z"));
  write_file(tmp.path() / "b" / "sub" / "2015-01-02-0.json", line("next", "2015-01-02T00:00:00Z"));
  write_file(tmp.path() / "b" / "README.md", "not an archive");
  auto files = list_archive_files({tmp.path()});
  ASSERT_TRUE(files.ok()) << files.error().message;
  ASSERT_EQ(files->size(), 3u);
  EXPECT_EQ((*files)[0].filename(), "2015-01-01-2.json");
  EXPECT_EQ((*files)[1].filename(), "2015-01-01-10.json");
  EXPECT_EQ((*files)[2].filename(), "2015-01-02-0.json");
  EXPECT_FALSE(list_archive_files({tmp.path() / "nope"}).ok());

  // Merged in list order and sorted by time; same result for any thread count.
  ReadOptions one;
  one.threads = 1;
  ReadOptions four;
  four.threads = 4;
  ReadResult r1 = read_archives(*files, one);
  ReadResult r4 = read_archives(*files, four);
  ASSERT_EQ(r1.table.events.size(), 3u);
  EXPECT_EQ(r1.table.actors.name(r1.table.events[0].actor), "two");
  EXPECT_EQ(r1.table.actors.name(r1.table.events[2].actor), "next");
  EXPECT_EQ(r1.table.actors.names(), r4.table.actors.names());
  EXPECT_EQ(r1.total.events, 3u);
  EXPECT_EQ(r1.per_file.size(), 3u);
}

TEST(GhArchiveReader, NaturalOrder) {
  EXPECT_TRUE(natural_less("2015-01-01-2.json.gz", "2015-01-01-10.json.gz"));
  EXPECT_FALSE(natural_less("2015-01-01-10.json.gz", "2015-01-01-2.json.gz"));
  EXPECT_TRUE(natural_less("a/2015-12-31-23.json.gz", "a/2016-01-01-0.json.gz"));
  EXPECT_TRUE(natural_less("x01", "x1"));  // equal value: byte order decides, still total
  EXPECT_FALSE(natural_less("x1", "x01"));
}

}  // namespace
}  // namespace hubguard::stars
