// Progress of a hub scan for the person watching it: a one-line bar redrawn on a terminal
// (files, bytes, rate, ETA, findings so far), or plain periodic log lines when stderr is a
// file or pipe. Rendering is a pure function of the counters and the elapsed time, so it is
// tested without a clock; the reporter only decides when to draw.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace hubguard::hub {

struct ProgressCounters {
  std::size_t repositories_total = 0;
  std::size_t repositories_done = 0;
  std::size_t files_done = 0;
  std::size_t files_scanned = 0;  // parsed this run
  std::size_t files_cached = 0;   // result reused from the cache
  std::uint64_t bytes_done = 0;
  std::size_t findings = 0;       // findings with a verdict worse than clean
  std::size_t flagged_files = 0;  // files whose verdict is worse than clean
};

// "[=====>    ] 41% 1,204/2,931 repos | 10,233 files (2,001 scanned) | 3.1 GB 52.3 MB/s |
// 9 flagged | ETA 4m12s", cut to `width` columns.
std::string render_progress_bar(const ProgressCounters& c, double elapsed_seconds, unsigned width);

// "hub scan: 1204/2931 repositories (41%), 10233 files (2001 scanned, 8232 cached),
// 3.1 GB at 52.3 MB/s, 9 flagged files, 42s elapsed, ETA 4m12s"
std::string render_progress_line(const ProgressCounters& c, double elapsed_seconds);

std::string format_duration(double seconds);    // "42s", "4m12s", "3h05m", "2d04h"
std::string format_bytes(std::uint64_t bytes);  // "512 B", "3.1 GB"

class ProgressReporter {
 public:
  enum class Mode { none, bar, lines };
  // `out` is where to draw (stderr); lines are printed every `line_interval` at most.
  ProgressReporter(Mode mode, std::FILE* out,
                   std::chrono::seconds line_interval = std::chrono::seconds(10));

  // Redraws if enough time has passed since the last draw (`now` is injectable for tests).
  void update(const ProgressCounters& c,
              std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());
  // The final state, always drawn (the bar then ends its line).
  void finish(const ProgressCounters& c,
              std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

  // bar when `out` is a terminal, lines otherwise, none when quiet.
  static Mode choose(std::FILE* out, bool quiet);

 private:
  void draw(const ProgressCounters& c, std::chrono::steady_clock::time_point now);

  Mode mode_;
  std::FILE* out_;
  std::chrono::steady_clock::duration interval_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
  bool drawn_ = false;
  std::mutex mutex_;
};

}  // namespace hubguard::hub
