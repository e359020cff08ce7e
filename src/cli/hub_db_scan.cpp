// `hub scan ROOT --db URL`: every process started this way, on any machine with the mirror
// at the same path, enqueues ROOT's repositories (idempotently) and then claims and scans
// repositories until none is queued or running; the report is then read from the database,
// so each process prints the whole mirror's results, not only its own share.
#include "cli/hub_db_scan.hpp"

#include <chrono>
#include <cmath>
#include <memory>

#include "hubguard/hub/isolated_scanner.hpp"
#include "hubguard/hub/pg_queue.hpp"
#include "hubguard/hub/pg_worker.hpp"
#include "hubguard/hub/repository_layout.hpp"
#include "hubguard/hub/result_cache.hpp"

namespace hubguard::cli {

namespace {

// A repository that every claim so far failed to finish (its workers died or stalled on it):
// its files are listed, not parsed, and each gets an `unscannable` verdict that says why.
report::RepositoryReport unscanned_repository(const std::string& root, const hub::PgClaim& claim,
                                              const hub::ListingLimits& limits) {
  const hub::RepositoryLocation location{claim.path, claim.dir, claim.kind};
  auto listing = hub::list_repository_files(root, location, limits);
  report::RepositoryReport repo;
  repo.path = claim.path;
  repo.kind = claim.kind;
  const std::string why = "not scanned: " + std::to_string(claim.attempt - 1) +
                          " claims of this repository ended without a result (each worker died or lost its "
                          "lease while scanning it); see --max-attempts";
  for (const auto& f : listing.files) {
    report::FileReport file;
    file.path = f.display_path;
    file.size = f.size;
    file.sha256 = f.known_sha256;
    file.error = why;
    file.finalize();
    repo.files.push_back(std::move(file));
  }
  for (auto& finding : listing.findings) repo.files.push_back(std::move(finding));
  hub::finish_repository(root, location, repo);
  return repo;
}

}  // namespace

void add_hub_db_options(CLI::App& scan, HubDbArgs& args) {
  scan.add_option("--db", args.db,
                  "Share the work through PostgreSQL (postgresql://user@host/db or a libpq keyword "
                  "string): queue and results live there, any number of workers may join");
  scan.add_option("--worker-id", args.worker_id, "Name of this worker in the queue (default: host:pid)");
  scan.add_option("--lease", args.lease_seconds,
                  "Seconds a claimed repository stays ours without a heartbeat (renewed every third)")
      ->check(CLI::Range(0.5, 86400.0));
  scan.add_option("--max-attempts", args.max_attempts,
                  "Claims of one repository that may end without a result (worker died, lease lost) "
                  "before its files are reported unscannable instead of scanned again")
      ->check(CLI::Range(1u, 1000u));
  scan.add_option("--pause-after-claim", args.pause_after_claim_ms,
                  "Fault drills: hold each claimed repository this many ms before scanning it")
      ->group("");  // hidden
}

Result<report::HubReport> run_hub_db_scan(const std::filesystem::path& root, const HubDbArgs& db,
                                          const hub::HubScanOptions& options,
                                          const std::function<void(std::string_view)>& log) {
  const std::string key = hub::pg_root_key(root);
  auto locations = hub::find_repositories(key);
  if (!locations) return locations.error();
  auto queue = hub::PgQueue::open(db.db, key);
  if (!queue) return queue.error();

  std::vector<hub::QueuedRepository> queued;
  queued.reserve(locations->size());
  for (const auto& l : *locations) queued.push_back({l.id, l.dir, l.kind});
  auto added = queue->enqueue(queued);
  if (!added) return added.error();
  if (log) log(std::to_string(*added) + " of " + std::to_string(queued.size()) + " repositories newly queued");

  std::unique_ptr<hub::ResultCache> cache;
  if (!options.cache_db.empty()) {
    auto opened = hub::ResultCache::open(options.cache_db, options.scanner_version);
    if (!opened) return opened.error();
    cache = std::move(*opened);
  }
  std::unique_ptr<hub::FileScanner> scanner =
      options.isolate ? hub::make_isolated_scanner(options.worker_exe, options.scan, options.workers, options.limits)
                      : hub::make_thread_scanner(options.scan, options.workers);
  hub::RepositoryScanSettings settings;
  settings.root = key;
  settings.scanner_version = options.scanner_version;
  settings.listing = options.listing;
  settings.hash_threads = std::max(1u, options.workers);
  settings.hash_limit = options.hash_limit;

  hub::PgWorkerOptions worker;
  worker.target = db.db;
  worker.worker_id = db.worker_id.empty() ? hub::default_worker_id() : db.worker_id;
  worker.lease = std::chrono::milliseconds(static_cast<long long>(std::llround(db.lease_seconds * 1000.0)));
  worker.max_attempts = db.max_attempts;
  worker.scanner_version = options.scanner_version;
  worker.pause_after_claim = std::chrono::milliseconds(db.pause_after_claim_ms);
  worker.log = log;
  auto scan = [&](const hub::PgClaim& claim) {
    return hub::scan_repository(hub::RepositoryLocation{claim.path, claim.dir, claim.kind}, *scanner, cache.get(),
                                settings);
  };
  auto give_up = [&](const hub::PgClaim& claim) { return unscanned_repository(key, claim, options.listing); };
  auto stats = hub::run_pg_worker(*queue, worker, scan, give_up);
  if (!stats) return stats.error();
  if (log)
    log("worker " + worker.worker_id + ": " + std::to_string(stats->completed) + " repositories completed, " +
        std::to_string(stats->files) + " file verdicts stored" +
        (stats->discarded ? ", " + std::to_string(stats->discarded) + " discarded (lease lost)" : "") +
        (stats->given_up ? ", " + std::to_string(stats->given_up) + " given up (files reported unscannable)" : ""));
  auto report = queue->read_report();
  if (!report) return report.error();
  report->root = root.string();
  report->summary.files_scanned = 0;  // per-worker counts would mislead in a shared report
  return report;
}

}  // namespace hubguard::cli
