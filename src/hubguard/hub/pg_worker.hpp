// One worker of a distributed hub scan: claims repositories from the PostgreSQL queue, scans
// each while a heartbeat thread renews its lease on a second connection, completes it, and
// stops once no repository is queued or running. While other workers still hold leases it
// waits rather than stops, because a worker that dies leaves its repository to whoever is
// still there when the lease expires.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "hubguard/core/result.hpp"
#include "hubguard/hub/pg_queue.hpp"
#include "hubguard/report/hub_report.hpp"

namespace hubguard::hub {

struct PgWorkerOptions {
  std::string target;  // the connection URL, for the heartbeat's own connection
  std::string worker_id;
  std::chrono::milliseconds lease{60'000};
  // A repository claimed more often than this (each earlier worker died or lost its lease on
  // it, e.g. it kills whatever scans it) is not scanned again: give_up reports its files.
  unsigned max_attempts = 3;
  std::string scanner_version;
  // Fault drills and tests: hold each claimed repository this long (lease renewed) before
  // scanning it, so that a worker can be killed while it owns a repository.
  std::chrono::milliseconds pause_after_claim{0};
  std::function<void(std::string_view)> log;  // progress lines; may be empty
  std::chrono::milliseconds progress_interval{10'000};  // between progress lines
};

struct PgWorkerStats {
  std::size_t claimed = 0;
  std::size_t completed = 0;
  std::size_t discarded = 0;  // finished after the lease was lost: someone else owns it
  std::size_t given_up = 0;   // completed unscanned, past max_attempts
  std::size_t files = 0;      // file verdicts this worker stored
};

// Scans one claimed repository; the returned report's file paths are relative to the root.
using RepositoryScanFn = std::function<report::RepositoryReport(const PgClaim&)>;

// `scan` runs for a claim within max_attempts, `give_up` past it: it must list the files
// without parsing them and give each an `unscannable` verdict saying why, so that even then
// every file ends with one verdict.
Result<PgWorkerStats> run_pg_worker(PgQueue& queue, const PgWorkerOptions& options, const RepositoryScanFn& scan,
                                    const RepositoryScanFn& give_up);

// The default worker id: host name and process id, unique among live workers.
std::string default_worker_id();

}  // namespace hubguard::hub
