// Isolated scanning with real worker processes (the built hubguard binary, HUBGUARD_BINARY):
// honest files come back exactly as an in-process scan_file reports them, and a worker that
// crashes, spins, hangs, runs out of memory, exits or answers garbage costs only the file it
// held, which is reported `unscannable` with the reason, while the files after it are still
// scanned. Misbehaviour is triggered through the worker's test-only fault switch
// (HUBGUARD_WORKER_TEST_FAULT), except for the memory limit, which is also shown against the
// real engine with a decompression that outgrows it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "hubguard/core/sanitizers.hpp"
#include "hubguard/hub/isolated_scanner.hpp"
#include "hubguard/report/file_report_json.hpp"
#include "hubguard/scan/engine.hpp"

namespace hubguard::hub {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(HUBGUARD_FIXTURES) / "scan";
const fs::path kMaliciousPickle = kFixtures / "malicious/pickle/posix_system_reduce_p2.pkl";

class ScopedFault {
 public:
  explicit ScopedFault(const std::string& spec) { ::setenv(kWorkerTestFaultVariable, spec.c_str(), 1); }
  ~ScopedFault() { ::unsetenv(kWorkerTestFaultVariable); }
};

fs::path fresh_dir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("hubguard_isolated_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Copies of one malicious pickle under the given names, as jobs in that order.
std::vector<FileJob> copies_named(const fs::path& dir, const std::vector<std::string>& names) {
  std::vector<FileJob> jobs;
  for (const auto& name : names) {
    fs::copy_file(kMaliciousPickle, dir / name, fs::copy_options::overwrite_existing);
    jobs.push_back({dir / name, "repo/" + name});
  }
  return jobs;
}

// Runs the scanner and checks the FileScanner contract: each job reported exactly once.
std::vector<report::FileReport> scan_all(FileScanner& scanner, const std::vector<FileJob>& jobs) {
  std::vector<report::FileReport> reports(jobs.size());
  std::vector<int> calls(jobs.size(), 0);
  scanner.scan(jobs, [&](std::size_t i, report::FileReport r) {
    ASSERT_LT(i, jobs.size());
    ++calls[i];
    reports[i] = std::move(r);
  });
  for (std::size_t i = 0; i < jobs.size(); ++i) EXPECT_EQ(calls[i], 1) << jobs[i].display_path;
  return reports;
}

report::FileReport in_process(const FileJob& job, const scan::ScanOptions& options) {
  auto r = scan::scan_file(job.path, options);
  r.path = job.display_path;
  return r;
}

void expect_same_as_in_process(const report::FileReport& got, const FileJob& job,
                               const scan::ScanOptions& options) {
  EXPECT_EQ(report::file_report_to_json(got), report::file_report_to_json(in_process(job, options)))
      << job.display_path;
}

void expect_unscannable(const report::FileReport& r, const std::string& reason) {
  EXPECT_EQ(r.verdict, report::Verdict::unscannable) << r.path;
  EXPECT_NE(r.error.find(reason), std::string::npos) << r.path << ": " << r.error;
}

std::unique_ptr<FileScanner> isolated(unsigned workers, IsolationLimits limits = {},
                                      const scan::ScanOptions& options = {}) {
  return make_isolated_scanner(HUBGUARD_BINARY, options, workers, limits);
}

// This process's children, zombies included, read from /proc (a zombie is a child that was
// never reaped).
std::set<pid_t> children_of_this_process() {
  std::set<pid_t> children;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    if (close == std::string::npos || close + 2 > line.size()) continue;
    std::istringstream fields(line.substr(close + 2));
    char state = 0;
    pid_t parent = 0;
    fields >> state >> parent;
    if (parent == ::getpid()) children.insert(static_cast<pid_t>(std::stol(name)));
  }
  return children;
}

class IsolatedScanner : public ::testing::Test {
 protected:
  void SetUp() override { before_ = children_of_this_process(); }
  // Every worker is reaped: once the scanner is gone, no child of ours is left from the test
  // (other suites in this binary may own children of their own, hence the comparison).
  void TearDown() override {
    EXPECT_EQ(children_of_this_process(), before_) << "a worker process was left behind";
  }

 private:
  std::set<pid_t> before_;
};

TEST_F(IsolatedScanner, HonestFilesComeBackAsAnInProcessScanReportsThem) {
  scan::ScanOptions options;
  options.keep_programs = true;  // the largest answers: recovered programs travel too
  std::vector<FileJob> jobs;
  for (const auto& entry : fs::recursive_directory_iterator(kFixtures)) {
    if (entry.is_regular_file()) jobs.push_back({entry.path(), fs::relative(entry.path(), kFixtures).string()});
  }
  ASSERT_GT(jobs.size(), 50u);
  auto scanner = isolated(2, {}, options);
  auto reports = scan_all(*scanner, jobs);
  std::map<report::Verdict, int> verdicts;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    expect_same_as_in_process(reports[i], jobs[i], options);
    ++verdicts[reports[i].verdict];
  }
  EXPECT_GT(verdicts[report::Verdict::clean], 0);
  EXPECT_GT(verdicts[report::Verdict::malicious], 0);
}

TEST_F(IsolatedScanner, WorkersLiveAcrossScanCalls) {
  auto dir = fresh_dir("reuse");
  auto jobs = copies_named(dir, {"a.pkl", "b.pkl"});
  auto scanner = isolated(1);
  for (int round = 0; round < 2; ++round) {
    auto reports = scan_all(*scanner, jobs);
    for (std::size_t i = 0; i < jobs.size(); ++i) expect_same_as_in_process(reports[i], jobs[i], {});
  }
  EXPECT_TRUE(scan_all(*scanner, {}).empty());
}

TEST_F(IsolatedScanner, WorkerKilledWhileIdleIsReplacedWithoutLosingAFile) {
  auto dir = fresh_dir("idle");
  auto jobs = copies_named(dir, {"a.pkl"});
  auto scanner = isolated(1);
  scan_all(*scanner, jobs);
  // Kill the idle worker from outside, as the OOM killer would, and wait until it is dead
  // (not reaped: the scanner does that).
  pid_t worker = -1;
  for (pid_t child : children_of_this_process()) {
    std::ifstream cmdline("/proc/" + std::to_string(child) + "/cmdline");
    std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (args.find(std::string("hub\0worker", 10)) != std::string::npos) worker = child;
  }
  siginfo_t info{};
  ASSERT_GT(worker, 0);
  ASSERT_EQ(::kill(worker, SIGKILL), 0);
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(worker), &info, WEXITED | WNOWAIT), 0);
  auto reports = scan_all(*scanner, jobs);
  expect_same_as_in_process(reports[0], jobs[0], {});
}

TEST_F(IsolatedScanner, CrashedWorkerCostsOnlyTheFileItHeld) {
  ScopedFault fault("crash:.crash.pkl,abort:.abort.pkl");
  auto dir = fresh_dir("crash");
  auto jobs = copies_named(dir, {"a.pkl", "b.crash.pkl", "c.pkl", "d.abort.pkl", "e.pkl"});
  auto scanner = isolated(1);  // one worker: the same slot must restart twice
  auto reports = scan_all(*scanner, jobs);
  expect_unscannable(reports[1], "scan worker crashed with SIGSEGV");
  expect_unscannable(reports[3], "scan worker crashed with SIGABRT");
  // What the worker wrote to stderr before dying is part of the reason.
  expect_unscannable(reports[3], "worker stderr: hubguard worker: test fault");
  EXPECT_EQ(reports[1].path, "repo/b.crash.pkl");
  EXPECT_GT(reports[1].size, 0u);
  for (std::size_t i : {0u, 2u, 4u}) {
    EXPECT_GE(reports[i].verdict, report::Verdict::dangerous) << jobs[i].display_path;
    expect_same_as_in_process(reports[i], jobs[i], {});
  }
}

TEST_F(IsolatedScanner, SpinningWorkerMeetsItsCpuLimit) {
  ScopedFault fault("spin:.spin.pkl");
  auto dir = fresh_dir("spin");
  auto jobs = copies_named(dir, {"a.spin.pkl", "b.pkl"});
  IsolationLimits limits;
  limits.cpu_seconds = 1;
  limits.wall_seconds = 120;  // the CPU limit, not the deadline, must end it
  auto scanner = isolated(1, limits);
  auto reports = scan_all(*scanner, jobs);
  expect_unscannable(reports[0], "exceeded CPU limit 1 s");
  expect_same_as_in_process(reports[1], jobs[1], {});
}

TEST_F(IsolatedScanner, HangingWorkerMeetsTheWallClockDeadline) {
  ScopedFault fault("hang:.hang.pkl");
  auto dir = fresh_dir("hang");
  auto jobs = copies_named(dir, {"a.hang.pkl", "b.pkl", "c.pkl"});
  IsolationLimits limits;
  limits.wall_seconds = 1;
  auto scanner = isolated(2, limits);
  auto reports = scan_all(*scanner, jobs);
  expect_unscannable(reports[0], "timed out after 1 s");
  expect_same_as_in_process(reports[1], jobs[1], {});
  expect_same_as_in_process(reports[2], jobs[2], {});
}

TEST_F(IsolatedScanner, WorkerOutOfMemoryIsReportedAsTheMemoryLimit) {
  ScopedFault fault("oom:.oom.pkl");
  auto dir = fresh_dir("oom");
  auto jobs = copies_named(dir, {"a.oom.pkl", "b.pkl"});
  IsolationLimits limits;
  limits.memory_bytes = 512ull << 20;
  auto scanner = isolated(1, limits);
  auto reports = scan_all(*scanner, jobs);
  expect_unscannable(reports[0], "exceeded memory limit 512 MiB");
  expect_same_as_in_process(reports[1], jobs[1], {});
}

TEST_F(IsolatedScanner, WorkerThatExitsOrAnswersGarbageCostsOnlyItsFile) {
  ScopedFault fault("exit:.exit.pkl,garbage:.garbage.pkl");
  auto dir = fresh_dir("exit");
  auto jobs = copies_named(dir, {"a.exit.pkl", "b.garbage.pkl", "c.pkl"});
  auto scanner = isolated(1);
  auto reports = scan_all(*scanner, jobs);
  expect_unscannable(reports[0], "scan worker exited with status 7 before answering");
  expect_unscannable(reports[1], "scan worker sent a malformed answer");
  expect_same_as_in_process(reports[2], jobs[2], {});
}

TEST_F(IsolatedScanner, ManyFailuresAcrossWorkersStillGiveEveryFileOneReport) {
  ScopedFault fault("crash:.crash.pkl,exit:.exit.pkl,abort:.abort.pkl");
  auto dir = fresh_dir("many");
  std::vector<std::string> names;
  for (int i = 0; i < 40; ++i) {
    std::string kind = i % 5 == 0 ? ".crash" : i % 7 == 0 ? ".exit" : i % 11 == 0 ? ".abort" : "";
    names.push_back("f" + std::to_string(i) + kind + ".pkl");
  }
  auto jobs = copies_named(dir, names);
  auto scanner = isolated(2);
  auto reports = scan_all(*scanner, jobs);
  int failed = 0;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (names[i].find(".crash") != std::string::npos) {
      expect_unscannable(reports[i], "SIGSEGV");
      ++failed;
    } else if (names[i].find(".exit") != std::string::npos) {
      expect_unscannable(reports[i], "status 7");
      ++failed;
    } else if (names[i].find(".abort") != std::string::npos) {
      expect_unscannable(reports[i], "SIGABRT");
      ++failed;
    } else {
      expect_same_as_in_process(reports[i], jobs[i], {});
    }
  }
  EXPECT_EQ(failed, 8 + 4 + 3);  // multiples of 5; of 7 but not 5; of 11 but not 5 or 7
}

TEST_F(IsolatedScanner, MissingWorkerBinaryMakesEveryFileUnscannable) {
  auto dir = fresh_dir("missing");
  auto jobs = copies_named(dir, {"a.pkl", "b.pkl"});
  auto scanner = make_isolated_scanner("/nonexistent/hubguard", {}, 2, {});
  auto reports = scan_all(*scanner, jobs);
  for (const auto& r : reports) expect_unscannable(r, "could not start a scan worker");
}

// 300 MB of zeros gzipped to a few hundred KB: the gzip reader's output buffer outgrows a
// 128 MiB heap limit, the reader's bad_alloc becomes the file's error, and the same worker
// goes on with the next file.
void write_gzipped_zeros(const fs::path& path, std::size_t megabytes) {
  gzFile out = ::gzopen(path.c_str(), "wb1");
  ASSERT_NE(out, nullptr);
  std::vector<char> zeros(1 << 20, 0);
  for (std::size_t i = 0; i < megabytes; ++i) ASSERT_EQ(::gzwrite(out, zeros.data(), zeros.size()), static_cast<int>(zeros.size()));
  ASSERT_EQ(::gzclose(out), Z_OK);
}

TEST_F(IsolatedScanner, HeapLimitBoundsTheRealEngine) {
#if HUBGUARD_ASAN
  GTEST_SKIP() << "sanitizer builds run workers without the heap limit";
#endif
  auto dir = fresh_dir("heap");
  write_gzipped_zeros(dir / "zeros.gz", 300);
  auto jobs = copies_named(dir, {"after.pkl"});
  jobs.insert(jobs.begin(), FileJob{dir / "zeros.gz", "repo/zeros.gz"});
  scan::ScanOptions options;
  options.limits.max_compression_ratio = 1e9;  // let the zeros through to the allocator
  IsolationLimits limits;
  limits.memory_bytes = 128ull << 20;
  auto scanner = isolated(1, limits, options);
  auto reports = scan_all(*scanner, jobs);
  EXPECT_EQ(reports[0].verdict, report::Verdict::unscannable);
  EXPECT_NE(reports[0].error.find("memory"), std::string::npos) << reports[0].error;
  expect_same_as_in_process(reports[1], jobs[1], options);
}

}  // namespace
}  // namespace hubguard::hub
