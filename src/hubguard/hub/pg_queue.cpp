#include "hubguard/hub/pg_queue.hpp"

#include <map>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "hubguard/hub/pg_contents_json.hpp"
#include "hubguard/hub/pg_schema.hpp"
#include "hubguard/hub/pg_text.hpp"
#include "hubguard/report/file_report_json.hpp"

namespace hubguard::hub {
namespace {

using nlohmann::json;

// Rows travel to the server in batches, each one parameter holding a JSON array, so a
// repository of 100k files costs a few round trips and every value stays a parameter.
constexpr std::size_t kBatch = 2000;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string seconds_text(std::chrono::milliseconds d) { return std::to_string(static_cast<double>(d.count()) / 1000.0); }

report::RepositoryKind parse_kind(const std::string& s) {
  if (s == "model") return report::RepositoryKind::model;
  if (s == "dataset") return report::RepositoryKind::dataset;
  return report::RepositoryKind::unknown;
}

}  // namespace

std::string pg_root_key(const std::filesystem::path& root) {
  // Canonical (links resolved) like the hub scanner's root, so that two spellings of one
  // mirror folder name one queue.
  std::error_code ec;
  auto path = std::filesystem::canonical(root, ec);
  if (ec) path = std::filesystem::absolute(root, ec);
  std::string s = (ec ? root : path).lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

Result<PgQueue> PgQueue::open(const std::string& target, const std::string& root) {
  auto db = PgConnection::open(target);
  if (!db) return db.error();
  if (auto schema = ensure_pg_schema(*db); !schema) return schema.error();
  // A repository costs two commits (claim, complete); waiting for each to reach disk made
  // small repositories 5x slower. Not waiting is safe here: a commit lost in a server crash
  // takes its results and its state change together (one transaction), so the repository is
  // simply claimed and scanned again, and a worker whose claim was lost fails complete()'s
  // check. Durability of the last moments is traded, never exactly-once.
  if (auto r = db->command("SET synchronous_commit = off"); !r) return r.error();
  return PgQueue(std::move(db.value()), root);
}

Result<bool> PgQueue::rollback_with(Error error) {
  (void)db_.command("ROLLBACK");
  return error;
}

Result<std::size_t> PgQueue::enqueue(std::span<const QueuedRepository> repositories) {
  std::size_t added = 0;
  for (std::size_t start = 0; start < repositories.size(); start += kBatch) {
    json batch = json::array();
    for (std::size_t i = start; i < std::min(repositories.size(), start + kBatch); ++i) {
      const auto& r = repositories[i];
      batch.push_back({to_valid_utf8(r.path), to_hex(r.dir.string()), std::string(report::to_string(r.kind))});
    }
    auto rows = db_.exec(
        "INSERT INTO hubguard_repositories (root, path, dir, kind) "
        "SELECT decode($1, 'hex'), e->>0, decode(e->>1, 'hex'), e->>2 FROM jsonb_array_elements($2::jsonb) e "
        "ON CONFLICT (root, dir) DO NOTHING",
        {to_hex(root_), dump(batch)});
    if (!rows) return rows.error();
    added += static_cast<std::size_t>(rows->affected());
  }
  return added;
}

Result<std::optional<PgClaim>> PgQueue::claim(const std::string& worker, std::chrono::milliseconds lease) {
  // One statement, so one transaction: the row is locked by the inner SELECT (rows other
  // claimers hold are skipped, not waited for) and leased by the UPDATE before anyone else
  // can see it unlocked.
  auto rows = db_.exec(
      "UPDATE hubguard_repositories r SET state = 'running', lease_owner = $2, "
      "  lease_expires = now() + make_interval(secs => $3::float8), attempts = r.attempts + 1, claimed_at = now() "
      "FROM (SELECT id FROM hubguard_repositories "
      "      WHERE root = decode($1, 'hex') AND (state = 'queued' OR (state = 'running' AND lease_expires < now())) "
      "      ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) c "
      "WHERE r.id = c.id "
      "RETURNING r.id, r.path, encode(r.dir, 'hex'), r.kind, r.attempts",
      {to_hex(root_), to_valid_utf8(worker), seconds_text(lease)});
  if (!rows) return rows.error();
  if (rows->rows() == 0) return std::optional<PgClaim>{};
  PgClaim c;
  c.id = rows->integer(0, 0).value_or(0);
  c.path = rows->text(0, 1);
  auto dir = from_hex(rows->text(0, 2));
  if (!dir) return make_error("PostgreSQL: repository " + c.path + " has a malformed folder");
  c.dir = *dir;
  c.kind = parse_kind(rows->text(0, 3));
  c.attempt = rows->integer(0, 4).value_or(0);
  return std::optional<PgClaim>{std::move(c)};
}

Result<bool> PgQueue::renew(const PgClaim& claim, const std::string& worker, std::chrono::milliseconds lease) {
  auto rows = db_.exec(
      "UPDATE hubguard_repositories SET lease_expires = now() + make_interval(secs => $4::float8) "
      "WHERE id = $1::bigint AND lease_owner = $2 AND attempts = $3::integer AND state = 'running'",
      {std::to_string(claim.id), to_valid_utf8(worker), std::to_string(claim.attempt), seconds_text(lease)});
  if (!rows) return rows.error();
  return rows->affected() == 1;
}

Result<bool> PgQueue::complete(const PgClaim& claim, const std::string& worker,
                               const report::RepositoryReport& result, const std::string& scanner_version) {
  const std::string id = std::to_string(claim.id), owner = to_valid_utf8(worker);
  // The result rows, in batches. Two names that differ only in invalid bytes would become one
  // text value: both files are kept, the second under a marked name, rather than lose one.
  std::vector<std::string> batches;
  std::set<std::string> seen;
  for (std::size_t start = 0; start < result.files.size() || start == 0; start += kBatch) {
    json batch = json::array();
    for (std::size_t i = start; i < std::min(result.files.size(), start + kBatch); ++i) {
      report::FileReport file = result.files[i];
      std::string path = to_valid_utf8(file.path);
      for (int n = 2; seen.count(path) != 0; ++n) path = to_valid_utf8(file.path) + " [" + std::to_string(n) + "]";
      seen.insert(path);
      file.path = path;
      batch.push_back({path, to_valid_utf8(file.sha256), std::string(report::to_string(file.verdict)),
                       dump(report::file_report_to_json(file))});
    }
    batches.push_back(dump(batch));
  }
  const std::string verdict(report::to_string(result.verdict)), contents = dump(contents_to_json(result.contents));
  const std::string version = to_valid_utf8(scanner_version);

  // No DELETE of earlier results is needed: rows are written only here, together with the
  // move to `done`, and a done repository is never claimed again.
  if (batches.size() == 1) {
    // The usual case, one round trip: a single statement is a single transaction. `owned` is
    // empty unless the claim is still the row's; FOR UPDATE orders it against a concurrent
    // claim (which skips the locked row, or, if it locked first, makes `owned` re-check the
    // row's new owner and come out empty), so either everything below happens or nothing.
    auto rows = db_.exec(
        "WITH owned AS (SELECT id FROM hubguard_repositories WHERE id = $1::bigint AND state = 'running' "
        "                 AND lease_owner = $2 AND attempts = $3::integer FOR UPDATE), "
        "     stored AS (INSERT INTO hubguard_results "
        "                  (repository, file_path, sha256, verdict, report, scanner_version, scanned_by) "
        "                SELECT owned.id, e->>0, e->>1, e->>2, e->>3, $4, $2 "
        "                FROM owned, jsonb_array_elements($5::jsonb) e) "
        "UPDATE hubguard_repositories r SET state = 'done', verdict = $6, contents = $7, lease_owner = NULL, "
        "  lease_expires = NULL, finished_at = now(), finished_by = $2 FROM owned WHERE r.id = owned.id",
        {id, owner, std::to_string(claim.attempt), version, batches.front(), verdict, contents});
    if (!rows) return rows.error();
    return rows->affected() == 1;
  }

  // A large repository: one transaction of several statements, the same check first.
  if (auto r = db_.command("BEGIN"); !r) return r.error();
  auto row = db_.exec("SELECT state, lease_owner, attempts FROM hubguard_repositories WHERE id = $1::bigint FOR UPDATE",
                      {id});
  if (!row) return rollback_with(row.error());
  if (row->rows() != 1 || row->text(0, 0) != "running" || row->text(0, 1) != owner ||
      row->integer(0, 2).value_or(-1) != claim.attempt) {
    if (auto r = db_.command("ROLLBACK"); !r) return r.error();
    return false;
  }
  for (const auto& batch : batches) {
    auto r = db_.exec(
        "INSERT INTO hubguard_results (repository, file_path, sha256, verdict, report, scanner_version, scanned_by) "
        "SELECT $1::bigint, e->>0, e->>1, e->>2, e->>3, $3, $4 FROM jsonb_array_elements($2::jsonb) e",
        {id, batch, version, owner});
    if (!r) return rollback_with(r.error());
  }
  auto done = db_.exec(
      "UPDATE hubguard_repositories SET state = 'done', verdict = $2, contents = $3, lease_owner = NULL, "
      "  lease_expires = NULL, finished_at = now(), finished_by = $4 WHERE id = $1::bigint",
      {id, verdict, contents, owner});
  if (!done) return rollback_with(done.error());
  if (auto r = db_.command("COMMIT"); !r) return r.error();
  return true;
}

Result<PgProgress> PgQueue::progress() {
  auto rows = db_.exec(
      "SELECT state, count(*) FROM hubguard_repositories WHERE root = decode($1, 'hex') GROUP BY state",
      {to_hex(root_)});
  if (!rows) return rows.error();
  PgProgress p;
  for (int i = 0; i < rows->rows(); ++i) {
    auto n = static_cast<std::size_t>(rows->integer(i, 1).value_or(0));
    const std::string state = rows->text(i, 0);
    if (state == "queued") p.queued = n;
    else if (state == "running") p.running = n;
    else if (state == "done") p.done = n;
  }
  auto files = db_.exec(
      "SELECT count(*) FROM hubguard_results f JOIN hubguard_repositories r ON r.id = f.repository "
      "WHERE r.root = decode($1, 'hex')",
      {to_hex(root_)});
  if (!files) return files.error();
  p.files = static_cast<std::size_t>(files->integer(0, 0).value_or(0));
  return p;
}

Result<report::HubReport> PgQueue::read_report() {
  report::HubReport hub;
  hub.root = to_valid_utf8(root_);
  auto repos = db_.exec(
      "SELECT id, path, kind, state, verdict, contents FROM hubguard_repositories "
      "WHERE root = decode($1, 'hex') AND state = 'done' ORDER BY path, id",
      {to_hex(root_)});
  if (!repos) return repos.error();
  std::unordered_map<long long, std::size_t> index;
  for (int i = 0; i < repos->rows(); ++i) {
    report::RepositoryReport r;
    r.path = repos->text(i, 1);
    r.kind = parse_kind(repos->text(i, 2));
    auto verdict = report::parse_verdict(repos->text(i, 4));
    r.verdict = verdict ? *verdict : report::Verdict::unscannable;
    if (!repos->is_null(i, 5)) {
      auto parsed = json::parse(repos->text(i, 5), nullptr, /*allow_exceptions=*/false);
      auto contents = contents_from_json(parsed);
      if (!contents) return make_error("PostgreSQL: repository " + r.path + ": " + contents.error().message);
      r.contents = std::move(contents.value());
    }
    index[repos->integer(i, 0).value_or(0)] = hub.repositories.size();
    hub.repositories.push_back(std::move(r));
  }
  auto files = db_.exec(
      "SELECT f.repository, f.report FROM hubguard_results f JOIN hubguard_repositories r ON r.id = f.repository "
      "WHERE r.root = decode($1, 'hex') AND r.state = 'done' ORDER BY f.repository, f.file_path",
      {to_hex(root_)});
  if (!files) return files.error();
  for (int i = 0; i < files->rows(); ++i) {
    auto it = index.find(files->integer(i, 0).value_or(0));
    if (it == index.end()) continue;  // finished between the two reads: reported next time
    auto parsed = json::parse(files->text(i, 1), nullptr, /*allow_exceptions=*/false);
    auto file = report::file_report_from_json(parsed);
    auto& repo = hub.repositories[it->second];
    if (!file) return make_error("PostgreSQL: a result of " + repo.path + ": " + file.error().message);
    repo.files.push_back(std::move(file.value()));
  }
  hub.summary = hub.summarize();
  return hub;
}

}  // namespace hubguard::hub
