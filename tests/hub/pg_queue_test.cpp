// The PostgreSQL queue against a real server (see pg_test_server.hpp): schema creation and
// versioning, idempotent enqueue, exclusive claims under concurrency, lease expiry and the
// rule that only the current claim may complete, exhausted repositories, and the report read
// back from the stored results. Text helpers and URL redaction need no server.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "hubguard/hub/pg_connection.hpp"
#include "hubguard/hub/pg_queue.hpp"
#include "hubguard/hub/pg_text.hpp"
#include "hubguard/hub/pg_worker.hpp"
#include "pg_test_server.hpp"

namespace hubguard::hub {
namespace {

using namespace std::chrono_literals;
using report::RepositoryKind;
using report::Verdict;

std::vector<QueuedRepository> repos(int n, const std::string& prefix = "models/o/r") {
  std::vector<QueuedRepository> out;
  for (int i = 0; i < n; ++i) out.push_back({prefix + std::to_string(i), prefix + std::to_string(i), RepositoryKind::model});
  return out;
}

report::FileReport file(const std::string& path, Verdict verdict) {
  report::FileReport f;
  f.path = path;
  f.format = "pickle";
  f.size = 10;
  f.sha256 = std::string(64, 'a');
  if (verdict != Verdict::clean) {
    report::Finding finding;
    finding.rule = "pickle.test";
    finding.severity = report::Severity::critical;
    finding.verdict = verdict;
    finding.category = "code-execution";
    finding.message = "test finding";
    finding.evidence = std::string("nul\0byte", 8);
    f.findings.push_back(finding);
  }
  f.finalize();
  return f;
}

class PgQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HUBGUARD_START_PG_OR_SKIP(server_);
    // A root no other test uses: queues are keyed by root, so tests can share a server.
    root_ = "/test/pg_queue/" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "/" +
            std::to_string(::getpid()) + "/" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  void TearDown() override { server_.stop(HasFailure()); }

  PgQueue open_queue() {
    auto q = PgQueue::open(server_.url(), root_);
    EXPECT_TRUE(q.ok()) << (q ? "" : q.error().message);
    return std::move(q.value());
  }

  testing::PgTestServer server_;
  std::string root_;
};

TEST_F(PgQueueTest, SchemaIsCreatedOnceAndANewerVersionIsRefused) {
  { auto a = open_queue(); }
  { auto b = open_queue(); }  // a second open finds the schema made
  auto db = PgConnection::open(server_.url());
  ASSERT_TRUE(db.ok()) << db.error().message;
  ASSERT_TRUE(db->exec("UPDATE hubguard_meta SET value = '99' WHERE key = 'schema_version'").ok());
  auto newer = PgQueue::open(server_.url(), root_);
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.error().message.find("schema version 99"), std::string::npos) << newer.error().message;
  ASSERT_TRUE(db->exec("UPDATE hubguard_meta SET value = '1' WHERE key = 'schema_version'").ok());
}

TEST_F(PgQueueTest, EnqueueIsIdempotent) {
  auto q = open_queue();
  auto first = repos(3);
  auto added = q.enqueue(first);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(*added, 3u);
  auto more = repos(4);
  added = q.enqueue(more);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 1u);
  auto p = q.progress();
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->queued, 4u);
  EXPECT_EQ(p->total(), 4u);
}

TEST_F(PgQueueTest, ConcurrentClaimersNeverTakeTheSameRepository) {
  {
    auto q = open_queue();
    auto all = repos(60);
    ASSERT_TRUE(q.enqueue(all).ok());
  }
  std::mutex mutex;
  std::vector<long long> claimed;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto q = PgQueue::open(server_.url(), root_);
      ASSERT_TRUE(q.ok());
      for (;;) {
        auto c = q->claim("w" + std::to_string(t), 60s);
        ASSERT_TRUE(c.ok()) << c.error().message;
        if (!*c) break;
        std::lock_guard lock(mutex);
        claimed.push_back((*c)->id);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<long long> unique(claimed.begin(), claimed.end());
  EXPECT_EQ(claimed.size(), 60u);
  EXPECT_EQ(unique.size(), 60u);
}

TEST_F(PgQueueTest, AnExpiredLeaseIsReclaimedAndOnlyTheNewClaimCompletes) {
  auto a = open_queue();
  auto b = open_queue();
  auto one = repos(1);
  ASSERT_TRUE(a.enqueue(one).ok());
  auto ca = a.claim("A", 300ms);
  ASSERT_TRUE(ca.ok() && *ca);
  EXPECT_EQ((*ca)->attempt, 1);
  EXPECT_FALSE(*b.claim("B", 300ms)) << "a live lease is not claimable";
  auto renewed = a.renew(**ca, "A", 300ms);
  ASSERT_TRUE(renewed.ok());
  EXPECT_TRUE(*renewed);
  std::this_thread::sleep_for(700ms);
  auto cb = b.claim("B", 60s);
  ASSERT_TRUE(cb.ok() && *cb);
  EXPECT_EQ((*cb)->id, (*ca)->id);
  EXPECT_EQ((*cb)->attempt, 2);
  EXPECT_FALSE(*a.renew(**ca, "A", 300ms)) << "A's lease is gone";

  report::RepositoryReport from_a;
  from_a.path = (*ca)->path;
  from_a.files = {file("models/o/r0/a.pkl", Verdict::clean)};
  auto done_a = a.complete(**ca, "A", from_a, "test");
  ASSERT_TRUE(done_a.ok()) << done_a.error().message;
  EXPECT_FALSE(*done_a) << "the old claim must be discarded";

  // Even the same worker id cannot complete an older claim: the attempt names the claim.
  auto stale = **cb;
  stale.attempt = 1;
  EXPECT_FALSE(*b.complete(stale, "B", from_a, "test"));

  report::RepositoryReport from_b;
  from_b.path = (*cb)->path;
  from_b.verdict = Verdict::malicious;
  from_b.files = {file("models/o/r0/a.pkl", Verdict::malicious), file("models/o/r0/b.bin", Verdict::clean)};
  auto done_b = b.complete(**cb, "B", from_b, "test");
  ASSERT_TRUE(done_b.ok()) << done_b.error().message;
  EXPECT_TRUE(*done_b);
  EXPECT_FALSE(*b.complete(**cb, "B", from_b, "test")) << "a completed claim is not completed twice";

  auto report = a.read_report();
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->repositories.size(), 1u);
  const auto& r = report->repositories[0];
  EXPECT_EQ(r.verdict, Verdict::malicious);
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[0].path, "models/o/r0/a.pkl");
  EXPECT_EQ(r.files[0].verdict, Verdict::malicious);
  ASSERT_EQ(r.files[0].findings.size(), 1u);
  EXPECT_EQ(r.files[0].findings[0].evidence, std::string("nul\0byte", 8)) << "a NUL byte survives the database";
  auto p = a.progress();
  EXPECT_EQ(p->done, 1u);
  EXPECT_EQ(p->files, 2u);
}

TEST_F(PgQueueTest, NamesThatAreNotUtf8AreStoredAndFilesStayDistinct) {
  auto q = open_queue();
  std::vector<QueuedRepository> odd = {{"models/o/bad\xff", "models/o/bad\xff", RepositoryKind::dataset}};
  ASSERT_TRUE(q.enqueue(odd).ok());
  auto c = q.claim("W", 60s);
  ASSERT_TRUE(c.ok() && *c) << (c ? "" : c.error().message);
  EXPECT_EQ((*c)->dir.string(), "models/o/bad\xff") << "the folder comes back byte for byte";
  EXPECT_EQ((*c)->kind, RepositoryKind::dataset);
  report::RepositoryReport r;
  r.path = (*c)->path;
  r.contents.dataset_scripts = {"loader.py"};
  r.contents.model_files["pickle"] = {"a\xfe.pkl"};
  r.files = {file("models/o/bad\xff/a\xfe.pkl", Verdict::clean), file("models/o/bad\xff/a\xfd.pkl", Verdict::clean)};
  auto done = q.complete(**c, "W", r, "test");
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_TRUE(*done);
  auto report = q.read_report();
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->repositories.size(), 1u);
  EXPECT_EQ(report->repositories[0].files.size(), 2u) << "two names that sanitise alike are both kept";
  EXPECT_EQ(report->repositories[0].contents.dataset_scripts, std::vector<std::string>{"loader.py"});
  EXPECT_EQ(report->repositories[0].kind, RepositoryKind::dataset);
}

TEST_F(PgQueueTest, ALargeRepositoryIsStoredInBatchesUnderTheSameClaimCheck) {
  // Past one batch of rows (2000), complete() takes its multi-statement transaction path.
  auto q = open_queue();
  auto one = repos(1);
  ASSERT_TRUE(q.enqueue(one).ok());
  auto old_claim = q.claim("A", 100ms);
  ASSERT_TRUE(old_claim.ok() && *old_claim);
  std::this_thread::sleep_for(300ms);
  auto c = q.claim("B", 60s);
  ASSERT_TRUE(c.ok() && *c);
  report::RepositoryReport big;
  big.path = (*c)->path;
  for (int i = 0; i < 4500; ++i) big.files.push_back(file("models/o/r0/f" + std::to_string(i), Verdict::clean));
  auto stale = q.complete(**old_claim, "A", big, "test");
  ASSERT_TRUE(stale.ok()) << stale.error().message;
  EXPECT_FALSE(*stale);
  EXPECT_EQ(q.progress()->files, 0u) << "a discarded large completion leaves no rows";
  auto done = q.complete(**c, "B", big, "test");
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_TRUE(*done);
  EXPECT_EQ(q.progress()->files, 4500u);
  auto report = q.read_report();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->repositories.size(), 1u);
  EXPECT_EQ(report->repositories[0].files.size(), 4500u);
}

TEST_F(PgQueueTest, TheWorkerGivesUpOnARepositoryWhoseClaimsKeepExpiring) {
  auto q = open_queue();
  auto one = repos(1);
  ASSERT_TRUE(q.enqueue(one).ok());
  // Two claims that end without a result (their workers "die": no renewal, no complete).
  ASSERT_TRUE(*q.claim("A", 100ms));
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(*q.claim("B", 100ms));
  std::this_thread::sleep_for(300ms);
  int scanned = 0, given_up = 0;
  PgWorkerOptions options;
  options.target = server_.url();
  options.worker_id = "C";
  options.max_attempts = 2;
  auto stats = run_pg_worker(
      q, options,
      [&](const PgClaim& c) {
        ++scanned;
        report::RepositoryReport r;
        r.path = c.path;
        return r;
      },
      [&](const PgClaim& c) {
        ++given_up;
        EXPECT_EQ(c.attempt, 3);
        report::RepositoryReport r;
        r.path = c.path;
        r.verdict = Verdict::unscannable;
        auto f = file("models/o/r0/model.pkl", Verdict::clean);
        f.error = "not scanned";
        f.finalize();
        r.files = {f};
        return r;
      });
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(scanned, 0);
  EXPECT_EQ(given_up, 1);
  EXPECT_EQ(stats->given_up, 1u);
  auto report = q.read_report();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->repositories.size(), 1u);
  EXPECT_EQ(report->repositories[0].verdict, Verdict::unscannable);
  ASSERT_EQ(report->repositories[0].files.size(), 1u);
  EXPECT_EQ(report->repositories[0].files[0].verdict, Verdict::unscannable);
}

TEST_F(PgQueueTest, AWorkerScansEveryQueuedRepositoryOnceAndStops) {
  auto q = open_queue();
  auto all = repos(5);
  ASSERT_TRUE(q.enqueue(all).ok());
  PgWorkerOptions options;
  options.target = server_.url();
  options.worker_id = "solo";
  std::set<std::string> seen;
  auto stats = run_pg_worker(
      q, options,
      [&](const PgClaim& c) {
        EXPECT_TRUE(seen.insert(c.path).second) << c.path << " scanned twice";
        report::RepositoryReport r;
        r.path = c.path;
        r.files = {file(c.path + "/a.pkl", Verdict::clean)};
        return r;
      },
      [&](const PgClaim& c) -> report::RepositoryReport {
        ADD_FAILURE() << "gave up on " << c.path;
        return {};
      });
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->completed, 5u);
  EXPECT_EQ(seen.size(), 5u);
  auto p = q.progress();
  EXPECT_EQ(p->done, 5u);
  EXPECT_EQ(p->files, 5u);
}

TEST(PgConnectionTest, UnreachableServerIsAClearErrorWithoutThePassword) {
  const int port = testing::PgTestServer::free_port();
  auto db = PgConnection::open("postgresql://alice:s3cret@127.0.0.1:" + std::to_string(port) + "/db?connect_timeout=2");
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.error().message.find("cannot connect to PostgreSQL at postgresql://alice:***@127.0.0.1"),
            std::string::npos)
      << db.error().message;
  EXPECT_EQ(db.error().message.find("s3cret"), std::string::npos);
}

TEST(PgConnectionTest, RedactsPasswordsInUrlsAndKeywordStrings) {
  EXPECT_EQ(redact_pg_target("postgresql://u:pw@h:5432/d"), "postgresql://u:***@h:5432/d");
  EXPECT_EQ(redact_pg_target("postgres://h/d?user=u&password=pw&sslmode=require"),
            "postgres://h/d?user=u&password=***&sslmode=require");
  EXPECT_EQ(redact_pg_target("host=h password='a b' dbname=d"), "host=h password=*** dbname=d");
  EXPECT_EQ(redact_pg_target("postgresql://h/d"), "postgresql://h/d");
  EXPECT_EQ(redact_pg_target("password = 'it\\'s' host=h"), "password=*** host=h");
  EXPECT_EQ(redact_pg_target("postgresql://u@h/d"), "postgresql://u@h/d");
  EXPECT_EQ(redact_pg_target("postgresql://u:p@ss@h/d"), "postgresql://u:***@ss@h/d");
  EXPECT_EQ(redact_pg_target("host=h mypassword=x"), "host=h mypassword=x");
}

TEST(PgTextTest, InvalidUtf8AndNulBecomeReplacementCharactersAndHexRoundTrips) {
  EXPECT_TRUE(is_valid_utf8("plain ascii \xc3\xa9"));
  EXPECT_FALSE(is_valid_utf8("bad \xff"));
  EXPECT_FALSE(is_valid_utf8(std::string("nul\0", 4)));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));  // overlong '/'
  EXPECT_EQ(to_valid_utf8("a\xff" "b"), "a\xEF\xBF\xBD" "b");
  const std::string bytes("\x00\x01\xff/x", 5);
  EXPECT_EQ(from_hex(to_hex(bytes)), bytes);
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
}

}  // namespace
}  // namespace hubguard::hub
