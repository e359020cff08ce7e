// TEST-ONLY: lets the isolation tests make a worker crash, spin, hang or run out of memory on
// demand, which no honest fixture can do reliably. It reads HUBGUARD_WORKER_TEST_FAULT
// (KIND:SUFFIX[,KIND:SUFFIX...]) once at worker start; a request whose path ends with SUFFIX
// triggers KIND. Scanned content cannot reach it: it acts only when the variable is set in
// the worker's environment, which only whoever starts the scan controls.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hubguard::hub {

enum class WorkerFault {
  none,
  crash,    // dies of SIGSEGV
  abort,    // std::abort (SIGABRT)
  spin,     // burns CPU forever (meets the CPU limit)
  hang,     // sleeps forever (meets the wall-clock deadline)
  oom,      // allocates until std::bad_alloc (meets the memory limit)
  exit,     // exits with status 7 without answering
  garbage,  // answers with a malformed frame
};

struct WorkerFaultRule {
  WorkerFault fault = WorkerFault::none;
  std::string suffix;
};

// Parses the variable's value; unknown kinds are ignored (a test typo must not fault files).
std::vector<WorkerFaultRule> parse_worker_faults(std::string_view spec);
// Reads the environment (empty when the variable is unset).
std::vector<WorkerFaultRule> worker_faults_from_environment();
WorkerFault fault_for_path(const std::vector<WorkerFaultRule>& rules, std::string_view path);

// Misbehaves as `fault`; returns only for `oom` (by throwing std::bad_alloc) and `garbage`
// (after writing the bad frame to `out_fd`).
void trigger_worker_fault(WorkerFault fault, int out_fd);

}  // namespace hubguard::hub
