// The in-process FileScanner: scan::scan_file on a pool of threads. Fast (no process or
// serialisation cost) but a reader crash takes the whole scan down; `hub scan --no-isolation`.
#include <mutex>

#include "hubguard/core/parallel.hpp"
#include "hubguard/core/sanitizers.hpp"
#include "hubguard/hub/file_scanner.hpp"
#include "hubguard/scan/engine.hpp"

namespace hubguard::hub {
namespace {

class ThreadScanner final : public FileScanner {
 public:
  ThreadScanner(const scan::ScanOptions& options, unsigned threads)
      : options_(options), threads_(hubguard::scan_threads(threads)) {}

  void scan(std::span<const FileJob> jobs,
            const std::function<void(std::size_t, report::FileReport)>& on_done) override {
    std::mutex done_mutex;
    parallel_for(jobs.size(), threads_, [&](std::size_t i) {
      report::FileReport file = scan::scan_file(jobs[i].path, options_);
      file.path = jobs[i].display_path;
      std::lock_guard lock(done_mutex);
      on_done(i, std::move(file));
    });
  }

 private:
  scan::ScanOptions options_;
  unsigned threads_;
};

}  // namespace

std::unique_ptr<FileScanner> make_thread_scanner(const scan::ScanOptions& options,
                                                 unsigned threads) {
  return std::make_unique<ThreadScanner>(options, threads);
}

}  // namespace hubguard::hub
