#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "hubguard/hub/progress.hpp"

namespace hubguard::hub {
namespace {

ProgressCounters halfway() {
  ProgressCounters c;
  c.repositories_total = 200;
  c.repositories_done = 100;
  c.files_done = 1000;
  c.files_scanned = 400;
  c.files_cached = 600;
  c.bytes_done = 100ull << 20;
  c.findings = 5;
  c.flagged_files = 3;
  return c;
}

TEST(ProgressRender, LineNamesCountsRateAndEta) {
  const auto line = render_progress_line(halfway(), 50.0);
  EXPECT_EQ(
      line,
      "hub scan: 100/200 repositories (50%), 1000 files (400 scanned, 600 cached), 100.0 MB at "
      "2.0 MB/s, 3 flagged files, 50s elapsed, ETA 50s");
}

TEST(ProgressRender, BarFillsWithTheShareOfRepositoriesAndFitsTheWidth) {
  const auto bar = render_progress_bar(halfway(), 50.0, 200);
  EXPECT_EQ(bar.rfind("[==========>         ]  50% 100/200 repos", 0), 0u) << bar;
  EXPECT_NE(bar.find("ETA 50s"), std::string::npos);
  EXPECT_NE(bar.find("3 flagged"), std::string::npos);
  EXPECT_EQ(render_progress_bar(halfway(), 50.0, 30).size(), 30u);
  ProgressCounters none;
  EXPECT_NE(render_progress_bar(none, 0.0, 200).find("ETA"), std::string::npos);
}

TEST(ProgressRender, DurationsAndSizes) {
  EXPECT_EQ(format_duration(42), "42s");
  EXPECT_EQ(format_duration(252), "4m12s");
  EXPECT_EQ(format_duration(3 * 3600 + 5 * 60), "3h05m");
  EXPECT_EQ(format_duration(2 * 86400 + 4 * 3600), "2d04h");
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(3ull << 30), "3.0 GB");
}

std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return out;
}

TEST(ProgressReporter, LogLinesArePeriodicAndTheLastIsAlwaysPrinted) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ProgressReporter p(ProgressReporter::Mode::lines, out, std::chrono::seconds(10));
  const auto t0 = std::chrono::steady_clock::now();
  auto c = halfway();
  p.update(c, t0 + std::chrono::seconds(1));   // too early: nothing
  p.update(c, t0 + std::chrono::seconds(11));  // printed
  p.update(c, t0 + std::chrono::seconds(15));  // within the interval: nothing
  p.update(c, t0 + std::chrono::seconds(22));  // printed
  c.repositories_done = 200;
  p.finish(c, t0 + std::chrono::seconds(23));  // always printed
  const auto text = read_all(out);
  std::fclose(out);
  std::size_t lines = 0;
  for (char ch : text) lines += ch == '\n';
  EXPECT_EQ(lines, 3u) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);  // no terminal control in log lines
  EXPECT_NE(text.find("200/200 repositories (100%)"), std::string::npos) << text;
}

TEST(ProgressReporter, QuietPrintsNothing) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(ProgressReporter::choose(out, true), ProgressReporter::Mode::none);
  EXPECT_EQ(ProgressReporter::choose(out, false),
            ProgressReporter::Mode::lines);  // a file is no terminal
  ProgressReporter p(ProgressReporter::Mode::none, out);
  p.update(halfway(), std::chrono::steady_clock::now() + std::chrono::hours(1));
  p.finish(halfway());
  EXPECT_EQ(read_all(out), "");
  std::fclose(out);
}

}  // namespace
}  // namespace hubguard::hub
