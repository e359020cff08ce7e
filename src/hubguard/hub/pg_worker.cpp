#include "hubguard/hub/pg_worker.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace hubguard::hub {
namespace {

using std::chrono::milliseconds;

// Renews one claim's lease every third of the lease on its own connection (libpq connections
// are not shared between threads) until stopped. Three renewals fit in a lease, so one slow
// round trip does not lose it.
class Heartbeat {
 public:
  Heartbeat(PgQueue& queue, const PgClaim& claim, const PgWorkerOptions& options)
      : thread_([this, &queue, claim, &options] { run(queue, claim, options); }) {}
  ~Heartbeat() { stop(); }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  bool lost() const { return lost_.load(); }

 private:
  void run(PgQueue& queue, const PgClaim& claim, const PgWorkerOptions& options) {
    const milliseconds every = std::max(milliseconds(100), options.lease / 3);
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every, [this] { return stopping_; })) {
      lock.unlock();
      auto renewed = queue.renew(claim, options.worker_id, options.lease);
      if (renewed && !*renewed) lost_ = true;
      if (!renewed && options.log) options.log("lease renewal failed: " + renewed.error().message);
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<bool> lost_{false};
  std::thread thread_;
};

}  // namespace

std::string default_worker_id() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "worker") + ":" + std::to_string(::getpid());
}

Result<PgWorkerStats> run_pg_worker(PgQueue& queue, const PgWorkerOptions& options, const RepositoryScanFn& scan,
                                    const RepositoryScanFn& give_up) {
  auto heartbeat_queue = PgQueue::open(options.target, queue.root());
  if (!heartbeat_queue) return heartbeat_queue.error();
  auto log = [&](const std::string& line) {
    if (options.log) options.log(line);
  };
  // Idle workers poll: often enough to take an expired lease soon after it expires.
  const milliseconds poll = std::clamp(options.lease / 4, milliseconds(200), milliseconds(2000));
  PgWorkerStats stats;
  // Progress is a line every progress_interval (a mirror has 10^5 repositories: a line each
  // would drown what matters); retries, discards and failures are always logged.
  auto last_progress = std::chrono::steady_clock::now();
  auto report_progress = [&] {
    const auto now = std::chrono::steady_clock::now();
    if (!options.log || now - last_progress < options.progress_interval) return;
    last_progress = now;
    auto p = queue.progress();
    if (!p) return;
    log(std::to_string(p->done) + "/" + std::to_string(p->total()) + " repositories finished (" +
        std::to_string(p->queued) + " queued, " + std::to_string(p->running) + " running), " +
        std::to_string(p->files) + " file verdicts; this worker: " +
        std::to_string(stats.completed) + " repositories");
  };
  for (;;) {
    auto claim = queue.claim(options.worker_id, options.lease);
    if (!claim) return claim.error();
    if (!*claim) {
      auto progress = queue.progress();
      if (!progress) return progress.error();
      if (progress->queued == 0 && progress->running == 0) break;
      report_progress();
      std::this_thread::sleep_for(poll);
      continue;
    }
    const PgClaim& c = **claim;
    ++stats.claimed;
    const bool giving_up = c.attempt > static_cast<long long>(options.max_attempts);
    if (giving_up)
      log("not scanning " + c.path + " again: " + std::to_string(c.attempt - 1) +
          " claims ended without a result; its files are reported unscannable");
    else if (c.attempt > 1)
      log("claimed " + c.path + " again (attempt " + std::to_string(c.attempt) + "; its lease had expired)");
    report::RepositoryReport result;
    bool lost = false;
    {
      Heartbeat heartbeat(*heartbeat_queue, c, options);
      if (giving_up) {
        result = give_up(c);
      } else {
        if (options.pause_after_claim.count() > 0) std::this_thread::sleep_for(options.pause_after_claim);
        result = scan(c);
      }
      heartbeat.stop();
      lost = heartbeat.lost();
    }
    // Even when the heartbeat saw the lease lost, complete() is the authority (it checks
    // under the row lock); the flag only explains the outcome in the log.
    auto done = queue.complete(c, options.worker_id, result, options.scanner_version);
    if (!done) return done.error();
    if (*done) {
      ++stats.completed;
      if (giving_up) ++stats.given_up;
      stats.files += result.files.size();
      report_progress();
    } else {
      ++stats.discarded;
      log("discarded " + c.path + ": the lease " + (lost ? "was lost" : "expired") + " and another worker took it");
    }
  }
  return stats;
}

}  // namespace hubguard::hub
