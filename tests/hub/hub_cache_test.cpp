#include <gtest/gtest.h>

#include "hub_test_tree.hpp"
#include "hubguard/hub/result_cache.hpp"
#include "hubguard/hub/scanner_version.hpp"

namespace hubguard::hub {
namespace {

using namespace hubguard::hub::testing;
using report::FileChange;
using report::Verdict;

const std::string kShaA(64, 'a');
const std::string kShaB(64, 'b');

report::FileReport dangerous_report() {
  report::FileReport f;
  f.path = "first/name.pkl";
  f.format = "pickle";
  f.size = 12;
  f.findings.push_back(report::make_finding("pickle.dangerous-call", report::Severity::critical,
                                            Verdict::dangerous, "shell-command", "calls os.system",
                                            3, "os.system('x\xff')"));
  f.finalize();
  return f;
}

TEST(ResultCache, StoresByContentAndScannerVersion) {
  auto dir = fresh_tree("cache_store");
  {
    auto cache = ResultCache::open(dir / "c.sqlite", "v1");
    ASSERT_TRUE(cache.ok()) << cache.error().message;
    EXPECT_FALSE((*cache)->lookup(kShaA).has_value());
    (*cache)->store(kShaA, dangerous_report());
    ASSERT_TRUE((*cache)->commit().ok());
    auto hit = (*cache)->lookup(kShaA);
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->verdict, Verdict::dangerous);
    EXPECT_EQ(hit->findings.front().evidence, "os.system('x\xff')");  // every byte kept
    EXPECT_FALSE((*cache)->lookup(kShaB).has_value());
  }
  {
    auto same = ResultCache::open(dir / "c.sqlite", "v1");  // persisted across opens
    ASSERT_TRUE(same.ok());
    EXPECT_TRUE((*same)->lookup(kShaA).has_value());
  }
  auto newer = ResultCache::open(dir / "c.sqlite", "v2");  // new detection logic: a miss
  ASSERT_TRUE(newer.ok());
  EXPECT_FALSE((*newer)->lookup(kShaA).has_value());
}

TEST(ResultCache, StatMemoTrustsOnlyUnchangedMetadata) {
  auto dir = fresh_tree("cache_memo");
  auto cache = ResultCache::open(dir / "c.sqlite", "v1");
  ASSERT_TRUE(cache.ok());
  RepositoryFile f;
  f.target = dir / "x.bin";
  f.size = 10;
  f.mtime_ns = 123;
  f.inode = 7;
  f.device = 1;
  EXPECT_FALSE((*cache)->remembered_sha256(f).has_value());
  (*cache)->remember_sha256(f, kShaA);
  ASSERT_TRUE((*cache)->commit().ok());
  EXPECT_EQ((*cache)->remembered_sha256(f), kShaA);
  for (auto change : {0, 1, 2, 3}) {
    RepositoryFile g = f;
    if (change == 0) g.size = 11;
    if (change == 1) g.mtime_ns = 124;
    if (change == 2) g.inode = 8;
    if (change == 3) g.device = 2;
    EXPECT_FALSE((*cache)->remembered_sha256(g).has_value()) << change;
  }
}

TEST(ResultCache, RecordRunReportsChangesSinceThePreviousRunOfTheSameRoot) {
  auto dir = fresh_tree("cache_runs");
  auto cache = ResultCache::open(dir / "c.sqlite", "v1");
  ASSERT_TRUE(cache.ok());
  std::vector<RunEntry> first = {{"r/keep.bin", kShaA, Verdict::clean},
                                 {"r/edit.pkl", kShaA, Verdict::clean},
                                 {"r/gone.pkl", kShaB, Verdict::dangerous},
                                 {"r/rejudged.pkl", kShaB, Verdict::clean}};
  auto changes = (*cache)->record_run("/mirror", first);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  EXPECT_TRUE(changes->empty());  // a first run has nothing to compare with

  std::vector<RunEntry> second = {{"r/keep.bin", kShaA, Verdict::clean},
                                  {"r/edit.pkl", kShaB, Verdict::malicious},
                                  {"r/new.pkl", kShaA, Verdict::suspicious},
                                  {"r/rejudged.pkl", kShaB, Verdict::suspicious}};
  changes = (*cache)->record_run("/mirror", second);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  ASSERT_EQ(changes->size(), 4u);
  const auto& c = *changes;  // sorted by path
  EXPECT_EQ(c[0].path, "r/edit.pkl");
  EXPECT_EQ(c[0].change, FileChange::modified);
  EXPECT_EQ(c[0].previous, Verdict::clean);
  EXPECT_EQ(c[0].current, Verdict::malicious);
  EXPECT_EQ(c[1].path, "r/gone.pkl");
  EXPECT_EQ(c[1].change, FileChange::removed);
  EXPECT_EQ(c[1].previous, Verdict::dangerous);
  EXPECT_EQ(c[2].path, "r/new.pkl");
  EXPECT_EQ(c[2].change, FileChange::added);
  EXPECT_EQ(c[2].current, Verdict::suspicious);
  EXPECT_EQ(c[3].path, "r/rejudged.pkl");
  EXPECT_EQ(c[3].change, FileChange::unchanged);
  EXPECT_EQ(c[3].previous, Verdict::clean);
  EXPECT_EQ(c[3].current, Verdict::suspicious);

  // Another root has its own history.
  auto other = (*cache)->record_run("/other", second);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
  // The same run again: nothing changed.
  changes = (*cache)->record_run("/mirror", second);
  ASSERT_TRUE(changes.ok());
  EXPECT_TRUE(changes->empty());
}

TEST(ResultCache, CorruptDatabaseIsAClearError) {
  auto dir = fresh_tree("cache_corrupt");
  write_file(dir / "c.sqlite", std::string(8192, 'G'));
  auto cache = ResultCache::open(dir / "c.sqlite", "v1");
  ASSERT_FALSE(cache.ok());
  EXPECT_NE(cache.error().message.find("c.sqlite"), std::string::npos) << cache.error().message;
}

TEST(ResultCache, DamagedEntryIsAMiss) {
  auto dir = fresh_tree("cache_damaged");
  auto cache = ResultCache::open(dir / "c.sqlite", "v1");
  ASSERT_TRUE(cache.ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "c.sqlite").c_str(), &db), SQLITE_OK);
  const std::string sql = "INSERT INTO results VALUES ('" + kShaA + "', 'v1', X'FF00FF')";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_FALSE((*cache)->lookup(kShaA).has_value());
}

TEST(ScannerVersion, ChangesWithResultAffectingOptions) {
  scan::ScanOptions a;
  scan::ScanOptions b;
  EXPECT_EQ(scanner_version("1.0", a), scanner_version("1.0", b));
  EXPECT_NE(scanner_version("1.0", a), scanner_version("1.1", a));
  b.limits.max_depth = 3;
  EXPECT_NE(scanner_version("1.0", a), scanner_version("1.0", b));
  auto rules = fresh_tree("version_rules");
  write_file(rules / "x.yar", "rule a { condition: false }");
  scan::ScanOptions c;
  c.rules_dir = rules.string();
  const auto before = scanner_version("1.0", c);
  EXPECT_NE(before, scanner_version("1.0", a));
  write_file(rules / "x.yar", "rule b { condition: false }");
  EXPECT_NE(before, scanner_version("1.0", c));
  EXPECT_NE(before.find("+r" + std::to_string(kScannerRevision) + "+"), std::string::npos);
}

}  // namespace
}  // namespace hubguard::hub
