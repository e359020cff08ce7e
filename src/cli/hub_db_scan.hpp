// The PostgreSQL side of `hubguard hub scan ROOT --db URL` (hub_db_scan.cpp): the options
// it adds to `hub scan`, the run itself (enqueue ROOT's repositories, work on the shared
// queue until it is empty, read the whole report back from the database), and
// `hubguard hub report --db URL ROOT` (hub_db_report_command.cpp). hub_command.cpp owns
// `hub scan` and calls these when --db is given.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "hubguard/core/result.hpp"
#include "hubguard/hub/hub_scanner.hpp"
#include "hubguard/report/hub_report.hpp"

namespace hubguard::cli {

struct HubDbArgs {
  std::string db;         // postgresql://... or a libpq keyword string; empty: no database
  std::string worker_id;  // default: host:pid
  double lease_seconds = 60;
  unsigned max_attempts = 3;
  unsigned pause_after_claim_ms = 0;  // hidden; fault drills and tests
};

// Adds --db, --worker-id, --lease, --max-attempts (and the hidden --pause-after-claim).
void add_hub_db_options(CLI::App& scan, HubDbArgs& args);

// Runs this process as one worker of the queue of `root` and returns the report of every
// repository finished so far (by any worker). Errors (cannot connect, schema, query) are
// values; the caller prints them and exits 2. `log` receives progress lines.
Result<report::HubReport> run_hub_db_scan(const std::filesystem::path& root, const HubDbArgs& db,
                                          const hub::HubScanOptions& options,
                                          const std::function<void(std::string_view)>& log);

// `hubguard hub report ROOT --db URL`: the report of ROOT's queue as stored, without scanning
// (while workers run it shows what they finished so far). hub_db_report_command.cpp.
void register_hub_report_command(CLI::App& hub, int& exit_code);

}  // namespace hubguard::cli
