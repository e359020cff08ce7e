// The PostgreSQL work queue of a hub scan spread over many processes and machines.
//
// A repository is claimed with one UPDATE over a `SELECT ... FOR UPDATE SKIP LOCKED` row (so
// concurrent claimers never wait on, or take, each other's row), for a lease: the claimer
// renews it while scanning (a heartbeat). A worker that dies stops renewing, its lease
// expires, and the next claim takes the repository again (attempts + 1). A claim is the pair
// (lease_owner, attempts); complete() writes a repository's file verdicts and marks it done in
// one transaction, under the row lock, only if that pair is still the row's — otherwise the
// work is discarded because someone else owns the repository now. Results are UNIQUE per
// (repository, file path), the database's own guarantee that no file gets two verdicts.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hubguard/core/result.hpp"
#include "hubguard/hub/pg_connection.hpp"
#include "hubguard/report/hub_report.hpp"

namespace hubguard::hub {

// A repository to put in the queue: its id as reported and its folder relative to the root.
struct QueuedRepository {
  std::string path;
  std::filesystem::path dir;
  report::RepositoryKind kind = report::RepositoryKind::unknown;
};

struct PgClaim {
  long long id = 0;
  std::string path;
  std::filesystem::path dir;  // relative to the queue's root
  report::RepositoryKind kind = report::RepositoryKind::unknown;
  long long attempt = 0;      // with the worker id, names this claim
};

struct PgProgress {
  std::size_t queued = 0, running = 0, done = 0;
  std::size_t files = 0;  // file verdicts stored
  std::size_t total() const { return queued + running + done; }
};

class PgQueue {
 public:
  // Connects, creates the schema if absent, and scopes the queue to `root` (the mirror's
  // absolute path: every worker of one scan names the same root).
  static Result<PgQueue> open(const std::string& target, const std::string& root);

  // Adds repositories not yet in the queue (by root and folder); returns how many were new.
  Result<std::size_t> enqueue(std::span<const QueuedRepository> repositories);

  // Takes the next queued repository, or a running one whose lease has expired (its worker
  // died or stalled). nullopt: nothing to claim right now. The claim's `attempt` counts every
  // claim of the repository; the worker decides when too many have failed.
  Result<std::optional<PgClaim>> claim(const std::string& worker, std::chrono::milliseconds lease);

  // Extends the lease; false when the claim is no longer ours.
  Result<bool> renew(const PgClaim& claim, const std::string& worker, std::chrono::milliseconds lease);

  // Stores every file's verdict and the repository's and marks it done, in one transaction,
  // if the claim is still ours; false (and nothing written) when it is not.
  Result<bool> complete(const PgClaim& claim, const std::string& worker, const report::RepositoryReport& result,
                        const std::string& scanner_version);

  Result<PgProgress> progress();

  // The report of every finished repository of this root, from the stored results.
  Result<report::HubReport> read_report();

  const std::string& root() const { return root_; }

 private:
  PgQueue(PgConnection db, std::string root) : db_(std::move(db)), root_(std::move(root)) {}
  Result<bool> rollback_with(Error error);

  PgConnection db_;
  std::string root_;
};

// The queue key of a mirror folder: its canonical path without a trailing slash.
std::string pg_root_key(const std::filesystem::path& root);

}  // namespace hubguard::hub
