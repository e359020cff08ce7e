#include "hubguard/hub/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace hubguard::hub {
namespace {

double rate(double amount, double seconds) {
  return seconds > 0 ? amount / seconds : 0.0;
}

// Remaining time from the share of repositories done; unknown until one is done.
std::string eta(const ProgressCounters& c, double elapsed) {
  if (c.repositories_done == 0 || c.repositories_total <= c.repositories_done || elapsed <= 0)
    return c.repositories_total > 0 && c.repositories_done >= c.repositories_total ? "0s" : "?";
  const double per_repo = elapsed / static_cast<double>(c.repositories_done);
  return format_duration(per_repo *
                         static_cast<double>(c.repositories_total - c.repositories_done));
}

int percent(const ProgressCounters& c) {
  if (c.repositories_total == 0) return 100;
  return static_cast<int>(100.0 * static_cast<double>(c.repositories_done) /
                          static_cast<double>(c.repositories_total));
}

}  // namespace

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e9) return "?";
  const auto s = static_cast<long long>(std::llround(seconds));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  if (s < 86400) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  return fmt::format("{}d{:02}h", s / 86400, (s % 86400) / 3600);
}

std::string format_bytes(std::uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  static constexpr const char* kUnits[] = {"KB", "MB", "GB", "TB", "PB"};
  double v = static_cast<double>(bytes) / 1024.0;
  int unit = 0;
  while (v >= 1024.0 && unit < 4) {
    v /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", v, kUnits[unit]);
}

std::string render_progress_bar(const ProgressCounters& c, double elapsed, unsigned width) {
  constexpr int kBar = 20;
  const int p = std::clamp(percent(c), 0, 100);
  const int filled = p * kBar / 100;
  std::string bar(static_cast<std::size_t>(filled), '=');
  if (filled < kBar) bar += '>';
  bar.resize(kBar, ' ');
  std::string line = fmt::format(
      "[{}] {:3}% {}/{} repos | {} files ({} scanned) | {} {}/s | {} flagged | ETA {}", bar, p,
      c.repositories_done, c.repositories_total, c.files_done, c.files_scanned,
      format_bytes(c.bytes_done),
      format_bytes(static_cast<std::uint64_t>(rate(static_cast<double>(c.bytes_done), elapsed))),
      c.flagged_files, eta(c, elapsed));
  if (width > 0 && line.size() > width) line.resize(width);
  return line;
}

std::string render_progress_line(const ProgressCounters& c, double elapsed) {
  return fmt::format(
      "hub scan: {}/{} repositories ({}%), {} files ({} scanned, {} cached), {} at {}/s, "
      "{} flagged files, {} elapsed, ETA {}",
      c.repositories_done, c.repositories_total, percent(c), c.files_done, c.files_scanned,
      c.files_cached, format_bytes(c.bytes_done),
      format_bytes(static_cast<std::uint64_t>(rate(static_cast<double>(c.bytes_done), elapsed))),
      c.flagged_files, format_duration(elapsed), eta(c, elapsed));
}

ProgressReporter::ProgressReporter(Mode mode, std::FILE* out, std::chrono::seconds line_interval)
    : mode_(mode), out_(out), start_(std::chrono::steady_clock::now()) {
  interval_ = mode == Mode::bar
                  ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::milliseconds(200))
                  : std::chrono::duration_cast<std::chrono::steady_clock::duration>(line_interval);
}

ProgressReporter::Mode ProgressReporter::choose(std::FILE* out, bool quiet) {
  if (quiet) return Mode::none;
  return ::isatty(::fileno(out)) ? Mode::bar : Mode::lines;
}

void ProgressReporter::update(const ProgressCounters& c,
                              std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (mode_ == Mode::none) return;
  // The first line waits one interval too: a scan that ends quickly prints only the summary.
  const auto since = drawn_ ? now - last_ : now - start_;
  if (since < interval_) return;
  draw(c, now);
}

void ProgressReporter::finish(const ProgressCounters& c,
                              std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (mode_ == Mode::none) return;
  draw(c, now);
  if (mode_ == Mode::bar) std::fputc('\n', out_);
  std::fflush(out_);
}

void ProgressReporter::draw(const ProgressCounters& c, std::chrono::steady_clock::time_point now) {
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (mode_ == Mode::bar) {
    // \r and erase-to-end-of-line: redraw in place.
    std::fprintf(out_, "\r%s\x1b[K", render_progress_bar(c, elapsed, 160).c_str());
  } else {
    std::fprintf(out_, "%s\n", render_progress_line(c, elapsed).c_str());
  }
  std::fflush(out_);
  last_ = now;
  drawn_ = true;
}

}  // namespace hubguard::hub
