// What isolation costs: files/s of scanning a corpus in worker processes
// (hub::make_isolated_scanner, one file per request over a socket) against scanning it in
// this process on the same number of threads (scan::scan_paths). The corpus is every fixture
// under tests/fixtures/scan copied COPIES times into a temporary folder: small files, so the
// per-file round trip is as visible as it will ever be. Three timings, median of RUNS each:
//   in-process - scan::scan_paths on WORKERS threads;
//   isolated   - a scanner made once (workers started and warm), then timed scans;
//   cold pool  - a fresh scanner per run: worker start-up included.
// Beside wall time it reports CPU seconds per file (this process plus reaped workers), which
// the load of a shared machine disturbs far less than wall time.
// Usage: isolated_scan_bench HUBGUARD_BINARY [COPIES] [RUNS] [WORKERS]   (40 5 2)
// A plain main(): Google Benchmark's repetition model does not fit process pools.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include "hubguard/hub/isolated_scanner.hpp"
#include "hubguard/scan/engine.hpp"

namespace fs = std::filesystem;
using namespace hubguard;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

double cpu_seconds(int who) {
  rusage u{};
  ::getrusage(who, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double all_cpu() { return cpu_seconds(RUSAGE_SELF) + cpu_seconds(RUSAGE_CHILDREN); }

template <class Fn>
double seconds_of(Fn&& fn) {
  auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s HUBGUARD_BINARY [COPIES] [RUNS] [WORKERS]\n", argv[0]);
    return 2;
  }
  fs::path binary = argv[1];
  int copies = argc > 2 ? std::atoi(argv[2]) : 40;
  int runs = argc > 3 ? std::atoi(argv[3]) : 5;
  unsigned workers = argc > 4 ? static_cast<unsigned>(std::atoi(argv[4])) : 2;
  fs::path fixtures = fs::path(__FILE__).parent_path().parent_path() / "tests/fixtures/scan";
  fs::path corpus = fs::temp_directory_path() / ("hubguard_isolated_bench_" + std::to_string(::getpid()));
  fs::remove_all(corpus);
  for (int i = 0; i < copies; ++i) {
    fs::create_directories(corpus / std::to_string(i));
    fs::copy(fixtures, corpus / std::to_string(i), fs::copy_options::recursive);
  }
  std::vector<std::string> missing;
  auto files = scan::collect_files({corpus}, missing);
  std::uint64_t bytes = 0;
  std::vector<hub::FileJob> jobs;
  for (const auto& f : files) {
    bytes += fs::file_size(f);
    jobs.push_back({f, fs::relative(f, corpus).string()});
  }
  scan::ScanOptions options;
  std::size_t reported = 0;
  auto count = [&](std::size_t, report::FileReport) { ++reported; };

  std::vector<double> in_process, isolated, cold;
  std::vector<double> in_process_cpu, isolated_parent_cpu, cold_cpu;
  double warm_children_before = cpu_seconds(RUSAGE_CHILDREN);
  auto warm = hub::make_isolated_scanner(binary, options, workers, {});
  warm->scan(jobs, count);  // start the workers and fill the page cache
  double cold_children = 0;  // workers of the cold pools, reaped within the runs
  for (int r = 0; r < runs; ++r) {
    double c0 = all_cpu();
    in_process.push_back(seconds_of([&] { scan::scan_paths(files, options, workers); }));
    in_process_cpu.push_back(all_cpu() - c0);
    c0 = all_cpu();
    isolated.push_back(seconds_of([&] { warm->scan(jobs, count); }));
    isolated_parent_cpu.push_back(all_cpu() - c0);
    c0 = all_cpu();
    double children0 = cpu_seconds(RUSAGE_CHILDREN);
    cold.push_back(seconds_of([&] {
      auto fresh = hub::make_isolated_scanner(binary, options, workers, {});
      fresh->scan(jobs, count);
    }));
    cold_cpu.push_back(all_cpu() - c0);
    cold_children += cpu_seconds(RUSAGE_CHILDREN) - children0;
  }
  warm.reset();  // reaps the warm workers: their CPU time is now visible
  double warm_workers_cpu = (cpu_seconds(RUSAGE_CHILDREN) - warm_children_before - cold_children) / (runs + 1);
  fs::remove_all(corpus);
  if (reported != jobs.size() * (1 + 2 * static_cast<std::size_t>(runs))) {
    std::fprintf(stderr, "error: %zu reports for %zu jobs\n", reported, jobs.size());
    return 1;
  }
  double mb = static_cast<double>(bytes) / 1e6;
  std::printf("corpus: %zu files, %.1f MB (%d copies of tests/fixtures/scan), %d runs, %u workers\n",
              files.size(), mb, copies, runs, workers);
  auto n = static_cast<double>(files.size());
  auto line = [&](const char* name, const std::vector<double>& t, double cpu) {
    double sec = median(t);
    std::printf("%-11s median %.3f s  %8.0f files/s  %6.1f MB/s  %7.1f us/file  CPU %6.1f us/file\n",
                name, sec, n / sec, mb / sec, sec * 1e6 / n, cpu * 1e6 / n);
  };
  double isolated_cpu = median(isolated_parent_cpu) + warm_workers_cpu;
  line("in-process", in_process, median(in_process_cpu));
  line("isolated", isolated, isolated_cpu);
  line("cold pool", cold, median(cold_cpu));
  std::printf("isolated / in-process: wall %.2fx, CPU %.2fx\n", median(isolated) / median(in_process),
              isolated_cpu / median(in_process_cpu));
  return 0;
}
