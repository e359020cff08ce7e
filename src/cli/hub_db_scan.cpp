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

void add_hub_db_options(CLI::App& scan, HubDbArgs& args) {
  scan.add_option("--db", args.db,
                  "Share the work through PostgreSQL (postgresql://user@host/db or a libpq keyword "
                  "string): queue and results live there, any number of workers may join");
  scan.add_option("--worker-id", args.worker_id, "Name of this worker in the queue (default: host:pid)");
  scan.add_option("--lease", args.lease_seconds,
                  "Seconds a claimed repository stays ours without a heartbeat (renewed every third)")
      ->check(CLI::Range(0.5, 86400.0));
  scan.add_option("--max-attempts", args.max_attempts,
                  "Claims of one repository before it is reported unscannable (its workers died)")
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

  hub::PgWorkerOptions worker;
  worker.target = db.db;
  worker.worker_id = db.worker_id.empty() ? hub::default_worker_id() : db.worker_id;
  worker.lease = std::chrono::milliseconds(static_cast<long long>(std::llround(db.lease_seconds * 1000.0)));
  worker.max_attempts = db.max_attempts;
  worker.scanner_version = options.scanner_version;
  worker.pause_after_claim = std::chrono::milliseconds(db.pause_after_claim_ms);
  worker.log = log;
  auto stats = hub::run_pg_worker(*queue, worker, [&](const hub::PgClaim& claim) {
    return hub::scan_repository(hub::RepositoryLocation{claim.path, claim.dir, claim.kind}, *scanner, cache.get(),
                                settings);
  });
  if (!stats) return stats.error();
  if (log)
    log("worker " + worker.worker_id + ": " + std::to_string(stats->completed) + " repositories completed, " +
        std::to_string(stats->files) + " file verdicts stored" +
        (stats->discarded ? ", " + std::to_string(stats->discarded) + " discarded (lease lost)" : ""));
  auto report = queue->read_report();
  if (!report) return report.error();
  report->root = root.string();
  report->summary.files_scanned = 0;  // per-worker counts would mislead in a shared report
  return report;
}

}  // namespace hubguard::cli
