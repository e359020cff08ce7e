// Starting, ending and describing one worker process. A worker is the hubguard binary
// started with posix_spawn: its stdin and stdout are one end of a socket pair (requests in,
// answers out) and its stderr a pipe the parent drains. Every descriptor is close-on-exec, so
// a worker inherits nothing else, and the signal dispositions and mask are reset, so that
// SIGXCPU still kills it whatever the parent ignores.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "hubguard/core/result.hpp"

namespace hubguard::hub {

struct WorkerProcess {
  pid_t pid = -1;
  int channel = -1;  // parent's end of the socket pair (non-blocking)
  int errors = -1;   // read end of the worker's stderr (non-blocking)
};

Result<WorkerProcess> spawn_worker(const std::vector<std::string>& argv);

// Waits up to `grace` for the worker to exit, then kills it with SIGKILL; always reaps it (no
// zombie is left) and returns its wait status. Does not close the descriptors.
int reap_worker(WorkerProcess& worker, std::chrono::milliseconds grace);

void close_worker_descriptors(WorkerProcess& worker);

// "SIGSEGV", "SIGXCPU", ... (or "signal N").
std::string signal_name(int signal);

}  // namespace hubguard::hub
