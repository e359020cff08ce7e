#include "hubguard/stars/event_store.hpp"

#include <gtest/gtest.h>

#include "hubguard/stars/detection_input_builder.hpp"
#include "stars_test_support.hpp"

namespace hubguard::stars {
namespace {

using testing::read_file;
using testing::real_hour;
using testing::TempDir;
using testing::write_file;

std::string push(const std::string& actor, const std::string& repo, const std::string& time, bool star = false) {
  return R"({"type":")" + std::string(star ? "WatchEvent" : "PushEvent") + R"(","actor":{"login":")" + actor +
         R"("},"repo":{"name":")" + repo + R"("},"payload":{"action":"started"},"created_at":")" + time + "\"}\n";
}

EventTable table_of(const std::string& lines) {
  EventTable t;
  IngestStats s;
  parse_json_lines(lines, t, s);
  sort_by_time(t);
  return t;
}

std::vector<Event> all_events(const EventSource& src, const TimeWindow& w = {}) {
  std::vector<Event> out;
  auto r = src.scan(w, [&](std::span<const Event> b) { out.insert(out.end(), b.begin(), b.end()); });
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return out;
}

// Same named content: compares names, not ids (ids of a store depend on ingest order).
void expect_same_input(const DetectionInput& a, const DetectionInput& b) {
  EXPECT_EQ(a.actors.names(), b.actors.names());
  EXPECT_EQ(a.repos.names(), b.repos.names());
  ASSERT_EQ(a.stars.size(), b.stars.size());
  for (std::size_t i = 0; i < a.stars.size(); ++i) {
    EXPECT_EQ(a.stars[i].actor, b.stars[i].actor);
    EXPECT_EQ(a.stars[i].repo, b.stars[i].repo);
    EXPECT_EQ(a.stars[i].time, b.stars[i].time);
  }
  ASSERT_EQ(a.activity.size(), b.activity.size());
  for (std::size_t i = 0; i < a.activity.size(); ++i) {
    EXPECT_EQ(a.activity[i].events, b.activity[i].events);
    EXPECT_EQ(a.activity[i].first_time, b.activity[i].first_time);
    EXPECT_EQ(a.activity[i].last_time, b.activity[i].last_time);
    EXPECT_EQ(a.activity[i].distinct_times, b.activity[i].distinct_times);
    EXPECT_EQ(a.activity[i].distinct_repos, b.activity[i].distinct_repos);
    EXPECT_EQ(a.activity[i].distinct_orgs, b.activity[i].distinct_orgs);
  }
}

TEST(EventStore, RealHourRoundTrip) {
  HUBGUARD_REQUIRE_REAL_HOUR();
  TempDir tmp;
  ReadResult read = read_archives({real_hour()});
  auto appended = append_to_store(tmp.path() / "store", read.table, {{"2015-01-01-12.json.gz", 2673686, 8273}});
  ASSERT_TRUE(appended.ok()) << appended.error().message;
  EXPECT_EQ(appended->events, 8273u);

  ASSERT_TRUE(is_event_store(tmp.path() / "store"));
  auto store = EventStore::open(tmp.path() / "store");
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(store->events(), 8273u);
  const double bytes_per_event = static_cast<double>(store->segment_bytes()) / 8273.0;
  EXPECT_LT(bytes_per_event, 16.0);  // "a few bytes per event"
  ASSERT_EQ(store->manifest().sources.size(), 1u);
  EXPECT_EQ(store->manifest().sources[0].name, "2015-01-01-12.json.gz");

  // Every event comes back with the same names, kind and time.
  const auto back = all_events(*store);
  ASSERT_EQ(back.size(), read.table.events.size());
  auto actor_names = store->names(NameKind::kActor, std::vector<std::uint32_t>{back[0].actor});
  ASSERT_TRUE(actor_names.ok());
  EXPECT_EQ((*actor_names)[0], read.table.actors.name(read.table.events[0].actor));
  for (std::size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].time, read.table.events[i].time);
    EXPECT_EQ(back[i].kind, read.table.events[i].kind);
    EXPECT_EQ(back[i].repo == kNoId, read.table.events[i].repo == kNoId);
    EXPECT_EQ(back[i].org == kNoId, read.table.events[i].org == kNoId);
  }
  auto from_store = detection_input_from_store(tmp.path() / "store");
  ASSERT_TRUE(from_store.ok()) << from_store.error().message;
  auto direct = build_detection_input(TableEventSource(read.table));
  ASSERT_TRUE(direct.ok());
  expect_same_input(*direct, *from_store);
  EXPECT_EQ(from_store->stars.size(), 994u);
}

TEST(EventStore, AppendOutOfOrderHoursAndCompact) {
  TempDir tmp;
  const auto dir = tmp.path() / "s";
  const std::string hour2 = push("b", "o/x", "2015-01-01T02:10:00Z", true) + push("a", "o/y", "2015-01-01T02:20:00Z") +
                            push("c", "o/x", "2015-01-01T02:30:00Z", true);
  const std::string hour1 = push("a", "o/x", "2015-01-01T01:05:00Z", true) + push("d", "o/z", "2015-01-01T01:50:00Z");
  // Overlaps both: must be merged between them.
  const std::string late = push("e", "o/x", "2015-01-01T01:59:59Z", true) + push("e", "o/q", "2015-01-01T02:15:00Z");
  ASSERT_TRUE(append_to_store(dir, table_of(hour2), {{"h2.json", 1, 3}}).ok());
  ASSERT_TRUE(append_to_store(dir, table_of(hour1), {{"h1.json", 1, 2}}).ok());
  ASSERT_TRUE(append_to_store(dir, table_of(late), {{"late.json", 1, 2}}).ok());

  auto store = EventStore::open(dir);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(store->manifest().segments.size(), 3u);
  EXPECT_EQ(store->manifest().sources.size(), 3u);
  EXPECT_EQ(store->id_count(NameKind::kActor), 5u);  // a b c d e, each once
  auto events = all_events(*store);
  ASSERT_EQ(events.size(), 7u);
  for (std::size_t i = 1; i < events.size(); ++i) EXPECT_LE(events[i - 1].time, events[i].time);

  // Equal to reading everything at once.
  auto combined = table_of(hour2 + hour1 + late);
  auto direct = build_detection_input(TableEventSource(combined));
  auto stored = build_detection_input(*store);
  ASSERT_TRUE(direct.ok() && stored.ok());
  expect_same_input(*direct, *stored);

  // A window starting inside the store.
  TimeWindow w;
  w.from = 1420077600;  // 02:00:00Z
  EXPECT_EQ(all_events(*store, w).size(), 4u);

  ASSERT_TRUE(compact_store(dir).ok());
  auto compacted = EventStore::open(dir);
  ASSERT_TRUE(compacted.ok()) << compacted.error().message;
  EXPECT_EQ(compacted->manifest().segments.size(), 1u);
  auto after = build_detection_input(*compacted);
  ASSERT_TRUE(after.ok());
  expect_same_input(*direct, *after);
  EXPECT_EQ(all_events(*compacted, w).size(), 4u);
}

TEST(EventStore, WindowSeeksWithTheSparseIndex) {
  // Enough events for several index blocks; a window in the middle returns exactly its part.
  std::string lines;
  const std::int64_t base = 1420070400;
  EventTable t;
  for (int i = 0; i < 20000; ++i) {
    Event e;
    e.time = base + i;
    e.actor = t.actors.intern("u" + std::to_string(i % 977));
    e.repo = t.repos.intern("r/" + std::to_string(i % 13));
    e.kind = i % 3 == 0 ? EventKind::kStar : EventKind::kPush;
    t.events.push_back(e);
  }
  TempDir tmp;
  ASSERT_TRUE(append_to_store(tmp.path() / "s", t, {}).ok());
  auto store = EventStore::open(tmp.path() / "s");
  ASSERT_TRUE(store.ok());
  TimeWindow w;
  w.from = base + 9000;
  w.to = base + 13000;
  auto got = all_events(*store, w);
  ASSERT_EQ(got.size(), 4000u);
  EXPECT_EQ(got.front().time, base + 9000);
  EXPECT_EQ(got.back().time, base + 12999);
}

TEST(EventStore, CorruptOrTruncatedStoreIsAClearError) {
  TempDir tmp;
  const auto dir = tmp.path() / "s";
  std::string lines;
  for (int i = 0; i < 200; ++i) lines += push("u" + std::to_string(i), "o/r", "2015-01-01T00:00:00Z", true);
  ASSERT_TRUE(append_to_store(dir, table_of(lines), {}).ok());
  ASSERT_TRUE(EventStore::open(dir).ok());
  const auto seg = segment_path(dir, 1);
  const std::string good_seg = read_file(seg);
  const std::string good_manifest = read_file(manifest_path(dir));
  const std::string good_dict = read_file(dir / "actors.dict");

  auto expect_error = [&](const char* what, const char* needle) {
    auto s = EventStore::open(dir);
    ASSERT_FALSE(s.ok()) << what;
    EXPECT_NE(s.error().message.find(needle), std::string::npos) << what << ": " << s.error().message;
    EXPECT_FALSE(detection_input_from_store(dir).ok()) << what;
  };

  std::string flipped = good_seg;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 1);
  write_file(seg, flipped);
  expect_error("flipped byte", "checksum");

  write_file(seg, good_seg.substr(0, good_seg.size() - 10));
  expect_error("truncated segment", "seg-000001.evs");

  write_file(seg, "XXXXXXXX" + good_seg.substr(8));
  expect_error("bad segment magic", "magic");
  write_file(seg, good_seg);

  write_file(manifest_path(dir), good_manifest.substr(0, good_manifest.size() - 3));
  expect_error("truncated manifest", "MANIFEST");
  std::string manifest_version = good_manifest;
  manifest_version[8] = 9;
  write_file(manifest_path(dir), manifest_version);
  expect_error("manifest version", "MANIFEST");  // the CRC covers the version field
  write_file(manifest_path(dir), good_manifest);

  write_file(dir / "actors.dict", good_dict.substr(0, good_dict.size() / 2));
  expect_error("truncated dictionary", "actors.dict");
  write_file(dir / "actors.dict", good_dict);

  std::filesystem::remove(seg);
  expect_error("missing segment", "seg-000001.evs");
  write_file(seg, good_seg);
  EXPECT_TRUE(EventStore::open(dir).ok());
  EXPECT_FALSE(EventStore::open(tmp.path() / "not_a_store").ok());
}

TEST(EventStore, InterruptedAppendLeavesTheStoreAsItWas) {
  TempDir tmp;
  const auto dir = tmp.path() / "s";
  ASSERT_TRUE(append_to_store(dir, table_of(push("a", "o/r", "2015-01-01T00:00:00Z", true)), {}).ok());
  const std::string manifest = read_file(manifest_path(dir));
  ASSERT_TRUE(append_to_store(dir, table_of(push("b", "o/s", "2015-01-01T01:00:00Z", true)), {}).ok());
  // Simulate a crash after the names and segment were written but before the manifest was
  // replaced: put the old manifest back.
  write_file(manifest_path(dir), manifest);
  auto store = EventStore::open(dir);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(store->events(), 1u);
  EXPECT_EQ(store->id_count(NameKind::kActor), 1u);
  // The next append cuts the orphaned names and reuses the segment number.
  ASSERT_TRUE(append_to_store(dir, table_of(push("c", "o/t", "2015-01-01T02:00:00Z", true)), {}).ok());
  auto again = EventStore::open(dir);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->events(), 2u);
  auto names = again->names(NameKind::kActor, std::vector<std::uint32_t>{0, 1});
  ASSERT_TRUE(names.ok());
  EXPECT_EQ((*names)[0], "a");
  EXPECT_EQ((*names)[1], "c");
}

}  // namespace
}  // namespace hubguard::stars
