#include "hubguard/hub/result_cache.hpp"

#include <algorithm>
#include <cstdlib>

#include "hubguard/report/file_report_json.hpp"

namespace hubguard::hub {
namespace fs = std::filesystem;
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS results(
  sha256 TEXT NOT NULL, scanner TEXT NOT NULL, report BLOB NOT NULL,
  PRIMARY KEY (sha256, scanner)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stat_memo(
  path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
  inode INTEGER NOT NULL, device INTEGER NOT NULL, sha256 TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS last_run(
  root TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, verdict TEXT NOT NULL,
  PRIMARY KEY (root, path)) WITHOUT ROWID;
INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', '1');
)sql";

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return rc_ == SQLITE_OK && stmt_ != nullptr; }
  sqlite3_stmt* get() { return stmt_; }
  void bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind_blob(int i, const std::vector<std::uint8_t>& b) {
    sqlite3_bind_blob(stmt_, i, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
  }
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string text(int col) {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  std::int64_t integer(int col) { return sqlite3_column_int64(stmt_, col); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

std::string sqlite_error(sqlite3* db, const std::string& what) {
  return what + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
}

Result<bool> exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    return make_error(text);
  }
  return true;
}

std::int64_t as_i64(std::uint64_t v) {
  return static_cast<std::int64_t>(v);
}

}  // namespace

fs::path default_cache_path() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/')
    return fs::path(xdg) / "hubguard" / "hub-cache.sqlite";
  if (const char* home = std::getenv("HOME"); home && *home)
    return fs::path(home) / ".cache" / "hubguard" / "hub-cache.sqlite";
  return fs::path(".hubguard-cache.sqlite");
}

Result<std::unique_ptr<ResultCache>> ResultCache::open(const fs::path& path,
                                                       std::string scanner_version) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = sqlite_error(db, "cache " + path.string());
    sqlite3_close(db);
    return make_error(why);
  }
  std::unique_ptr<ResultCache> cache(new ResultCache(db, std::move(scanner_version)));
  sqlite3_busy_timeout(db, 5000);
  // The first statements touch the file: a corrupt or foreign file fails here.
  for (const char* sql : {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;", kSchema}) {
    auto done = exec(db, sql);
    if (!done) return make_error("cache " + path.string() + ": " + done.error().message);
  }
  Statement schema(db, "SELECT value FROM meta WHERE key = 'schema'");
  if (!schema.ok() || schema.step() != SQLITE_ROW || schema.text(0) != "1")
    return make_error("cache " + path.string() + ": written by an incompatible hubguard (schema)");
  return cache;
}

ResultCache::~ResultCache() {
  if (db_) {
    (void)commit();
    sqlite3_close(db_);
  }
}

std::optional<std::string> ResultCache::remembered_sha256(const RepositoryFile& file) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT size, mtime_ns, inode, device, sha256 FROM stat_memo WHERE path = ?");
  if (!s.ok()) return std::nullopt;
  s.bind(1, file.target.string());
  if (s.step() != SQLITE_ROW) return std::nullopt;
  if (s.integer(0) != as_i64(file.size) || s.integer(1) != file.mtime_ns ||
      s.integer(2) != as_i64(file.inode) || s.integer(3) != as_i64(file.device))
    return std::nullopt;
  std::string sha = s.text(4);
  if (sha.size() != 64) return std::nullopt;
  return sha;
}

void ResultCache::remember_sha256(const RepositoryFile& file, const std::string& sha256) {
  std::lock_guard lock(mutex_);
  memo_writes_.push_back(
      {file.target.string(), file.size, file.inode, file.device, file.mtime_ns, sha256});
}

std::optional<report::FileReport> ResultCache::lookup(const std::string& sha256) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT report FROM results WHERE sha256 = ? AND scanner = ?");
  if (!s.ok()) return std::nullopt;
  s.bind(1, sha256);
  s.bind(2, version_);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(s.get(), 0));
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 0));
  if (data == nullptr) return std::nullopt;
  // A damaged entry is a miss (the file is scanned again and the entry replaced).
  auto j = nlohmann::json::from_cbor(data, data + size, true, false);
  if (j.is_discarded()) return std::nullopt;
  auto file = report::file_report_from_json(j);
  if (!file) return std::nullopt;
  return std::move(*file);
}

void ResultCache::store(const std::string& sha256, const report::FileReport& file) {
  if (sha256.empty()) return;
  // CBOR keeps every byte of hostile strings (JSON text would have to replace invalid UTF-8).
  auto blob = nlohmann::json::to_cbor(report::file_report_to_json(file));
  std::lock_guard lock(mutex_);
  result_writes_.emplace_back(sha256, std::move(blob));
}

Result<bool> ResultCache::commit() {
  std::lock_guard lock(mutex_);
  return flush_locked();
}

Result<bool> ResultCache::flush_locked() {
  if (memo_writes_.empty() && result_writes_.empty()) return true;
  if (auto begin = exec(db_, "BEGIN IMMEDIATE;"); !begin)
    return make_error("cache: " + begin.error().message);
  {
    Statement memo(db_,
                   "INSERT OR REPLACE INTO stat_memo(path, size, mtime_ns, inode, device, sha256) "
                   "VALUES (?, ?, ?, ?, ?, ?)");
    Statement result(db_,
                     "INSERT OR REPLACE INTO results(sha256, scanner, report) VALUES (?, ?, ?)");
    if (!memo.ok() || !result.ok()) {
      (void)exec(db_, "ROLLBACK;");
      return make_error(sqlite_error(db_, "cache"));
    }
    for (const auto& w : memo_writes_) {
      memo.bind(1, w.path);
      memo.bind(2, as_i64(w.size));
      memo.bind(3, w.mtime_ns);
      memo.bind(4, as_i64(w.inode));
      memo.bind(5, as_i64(w.device));
      memo.bind(6, w.sha256);
      const int rc = memo.step();
      memo.reset();
      if (rc != SQLITE_DONE) {
        (void)exec(db_, "ROLLBACK;");
        return make_error(sqlite_error(db_, "cache"));
      }
    }
    for (const auto& [sha, blob] : result_writes_) {
      result.bind(1, sha);
      result.bind(2, version_);
      result.bind_blob(3, blob);
      const int rc = result.step();
      result.reset();
      if (rc != SQLITE_DONE) {
        (void)exec(db_, "ROLLBACK;");
        return make_error(sqlite_error(db_, "cache"));
      }
    }
  }
  memo_writes_.clear();
  result_writes_.clear();
  if (auto end = exec(db_, "COMMIT;"); !end) return make_error("cache: " + end.error().message);
  return true;
}

Result<std::vector<report::ChangedFile>> ResultCache::record_run(
    const std::string& root, const std::vector<RunEntry>& current) {
  std::lock_guard lock(mutex_);
  if (auto flushed = flush_locked(); !flushed) return flushed.error();
  auto fail = [&](const std::string& what) -> Error {
    (void)exec(db_, "ROLLBACK;");
    return make_error("cache: " + what + ": " + sqlite3_errmsg(db_));
  };
  if (auto begin = exec(db_, "BEGIN IMMEDIATE;"); !begin)
    return make_error("cache: " + begin.error().message);
  if (!exec(db_,
            "CREATE TEMP TABLE IF NOT EXISTS current_run(path TEXT PRIMARY KEY, sha256 TEXT NOT "
            "NULL, "
            "verdict TEXT NOT NULL) WITHOUT ROWID; DELETE FROM current_run;"))
    return fail("current run");
  {
    Statement insert(db_,
                     "INSERT OR REPLACE INTO current_run(path, sha256, verdict) VALUES (?, ?, ?)");
    if (!insert.ok()) return fail("current run");
    for (const auto& e : current) {
      insert.bind(1, e.path);
      insert.bind(2, e.sha256);
      insert.bind(3, std::string(report::to_string(e.verdict)));
      const int rc = insert.step();
      insert.reset();
      if (rc != SQLITE_DONE) return fail("current run");
    }
  }
  std::vector<report::ChangedFile> changes;
  Statement seen(db_, "SELECT EXISTS(SELECT 1 FROM last_run WHERE root = ?)");
  if (!seen.ok()) return fail("last run");
  seen.bind(1, root);
  const bool first_run = seen.step() != SQLITE_ROW || seen.integer(0) == 0;
  auto verdict_of = [](const std::string& name) {
    return report::parse_verdict(name).value_or(report::Verdict::unscannable);
  };
  if (!first_run) {
    Statement diff(db_,
                   "SELECT c.path, l.path IS NULL, l.sha256, l.verdict, c.sha256, c.verdict "
                   "FROM current_run c LEFT JOIN last_run l ON l.root = ? AND l.path = c.path "
                   "WHERE l.path IS NULL OR l.sha256 != c.sha256 OR l.verdict != c.verdict");
    if (!diff.ok()) return fail("compare runs");
    diff.bind(1, root);
    while (diff.step() == SQLITE_ROW) {
      report::ChangedFile c;
      c.path = diff.text(0);
      c.current = verdict_of(diff.text(5));
      if (diff.integer(1) != 0) {
        c.change = report::FileChange::added;
      } else {
        c.previous = verdict_of(diff.text(3));
        c.change = diff.text(2) != diff.text(4) ? report::FileChange::modified
                                                : report::FileChange::unchanged;
      }
      changes.push_back(std::move(c));
    }
    Statement removed(db_,
                      "SELECT l.path, l.verdict FROM last_run l WHERE l.root = ? AND NOT EXISTS "
                      "(SELECT 1 FROM current_run c WHERE c.path = l.path)");
    if (!removed.ok()) return fail("compare runs");
    removed.bind(1, root);
    while (removed.step() == SQLITE_ROW) {
      report::ChangedFile c;
      c.path = removed.text(0);
      c.change = report::FileChange::removed;
      c.previous = verdict_of(removed.text(1));
      changes.push_back(std::move(c));
    }
  }
  {
    Statement forget(db_, "DELETE FROM last_run WHERE root = ?");
    Statement keep(db_,
                   "INSERT INTO last_run(root, path, sha256, verdict) SELECT ?, path, sha256, "
                   "verdict FROM current_run");
    if (!forget.ok() || !keep.ok()) return fail("store run");
    forget.bind(1, root);
    keep.bind(1, root);
    if (forget.step() != SQLITE_DONE || keep.step() != SQLITE_DONE) return fail("store run");
  }
  if (auto end = exec(db_, "COMMIT;"); !end) return make_error("cache: " + end.error().message);
  std::sort(
      changes.begin(), changes.end(),
      [](const report::ChangedFile& a, const report::ChangedFile& b) { return a.path < b.path; });
  return changes;
}

}  // namespace hubguard::hub
