// Isolated scanning for `hubguard hub scan`: every file is parsed in a worker process (the
// hubguard binary itself, run as the hidden `hubguard hub worker`) under resource limits, so
// a reader that crashes, spins or exhausts memory on a hostile file costs only that file. The
// parent hands out one file at a time to each of N workers over a socket, supervises them
// with poll() and a per-file wall-clock deadline, and when a worker dies or is killed the file
// it held gets an `unscannable` report saying what happened (signal, CPU limit, memory limit,
// timeout, plus the worker's stderr), a fresh worker is started, and the scan goes on. Every
// job ends with exactly one report. Nothing here executes scanned content: the worker is our
// own binary, never an interpreter, never dlopen.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "hubguard/core/result.hpp"
#include "hubguard/hub/file_scanner.hpp"
#include "hubguard/scan/scan_context.hpp"

namespace hubguard::hub {

struct IsolationLimits {
  unsigned cpu_seconds = 120;                // CPU time per file (RLIMIT_CPU, reset per file)
  std::uint64_t memory_bytes = 4ull << 30;   // heap of a worker (RLIMIT_DATA)
  unsigned wall_seconds = 300;               // wall-clock time per file, enforced by the parent
};

// `worker_exe` is the hubguard binary (the CLI passes /proc/self/exe). Workers start lazily
// and live across scan() calls; the destructor ends and reaps them.
std::unique_ptr<FileScanner> make_isolated_scanner(const std::filesystem::path& worker_exe,
                                                   const scan::ScanOptions& options,
                                                   unsigned workers, const IsolationLimits& limits);

// The body of `hubguard hub worker`: reads requests from `in_fd`, scans each file, writes
// answers to `out_fd`, until end of input. With `cpu_seconds_per_file` > 0 the soft CPU limit
// is moved before each file so that the limit is per file, not per worker lifetime. Returns
// the process exit code (0 at end of input).
int run_worker(int in_fd, int out_fd, const scan::ScanOptions& options,
               unsigned cpu_seconds_per_file = 0);

// Resource limits a worker applies to itself at start: no core files, no file writes, the
// heap bound (RLIMIT_DATA: counts heap and anonymous mappings but not the read-only mapping
// of the scanned file, so a 20 GB checkpoint still maps), the first CPU bound, and death with
// the parent. Returns an Error naming the limit that could not be set.
Result<bool> apply_worker_limits(const IsolationLimits& limits);

// The worker's test-only fault switch (see isolated_worker.cpp): when the environment
// variable HUBGUARD_WORKER_TEST_FAULT is set to KIND:SUFFIX[,KIND:SUFFIX...], a request whose
// path ends with SUFFIX makes the worker misbehave as KIND (crash, abort, spin, hang, oom,
// exit, garbage) instead of scanning. Unset (as in every real run), it does nothing.
inline constexpr const char* kWorkerTestFaultVariable = "HUBGUARD_WORKER_TEST_FAULT";

}  // namespace hubguard::hub
