#include "hubguard/hub/worker_test_fault.hpp"

#include "hubguard/core/sanitizers.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "hubguard/hub/isolated_scanner.hpp"

namespace hubguard::hub {
namespace {

WorkerFault fault_named(std::string_view kind) {
  if (kind == "crash") return WorkerFault::crash;
  if (kind == "abort") return WorkerFault::abort;
  if (kind == "spin") return WorkerFault::spin;
  if (kind == "hang") return WorkerFault::hang;
  if (kind == "oom") return WorkerFault::oom;
  if (kind == "exit") return WorkerFault::exit;
  if (kind == "garbage") return WorkerFault::garbage;
  return WorkerFault::none;
}

}  // namespace

std::vector<WorkerFaultRule> parse_worker_faults(std::string_view spec) {
  std::vector<WorkerFaultRule> rules;
  while (!spec.empty()) {
    auto comma = spec.find(',');
    auto item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    auto colon = item.find(':');
    if (colon == std::string_view::npos || colon + 1 == item.size()) continue;
    auto fault = fault_named(item.substr(0, colon));
    if (fault != WorkerFault::none) rules.push_back({fault, std::string(item.substr(colon + 1))});
  }
  return rules;
}

std::vector<WorkerFaultRule> worker_faults_from_environment() {
  const char* spec = std::getenv(kWorkerTestFaultVariable);
  return spec == nullptr ? std::vector<WorkerFaultRule>{} : parse_worker_faults(spec);
}

WorkerFault fault_for_path(const std::vector<WorkerFaultRule>& rules, std::string_view path) {
  for (const auto& rule : rules) {
    if (path.size() >= rule.suffix.size() && path.substr(path.size() - rule.suffix.size()) == rule.suffix)
      return rule.fault;
  }
  return WorkerFault::none;
}

void trigger_worker_fault(WorkerFault fault, int out_fd) {
  if (fault == WorkerFault::none) return;
  if (fault == WorkerFault::crash || fault == WorkerFault::abort) {
    // Last words, so the tests can check that a dead worker's stderr reaches its report.
    const char said[] = "hubguard worker: test fault\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, said, sizeof said - 1);
  }
  switch (fault) {
    case WorkerFault::none:
      return;
    case WorkerFault::crash:
      // The default action, not a sanitizer's handler, so the parent sees a real SIGSEGV.
      std::signal(SIGSEGV, SIG_DFL);
      std::raise(SIGSEGV);
      std::abort();
    case WorkerFault::abort:
      std::abort();
    case WorkerFault::spin: {
      volatile std::uint64_t n = 0;
      for (;;) n = n + 1;
    }
    case WorkerFault::hang:
      for (;;) ::pause();
    case WorkerFault::oom: {
      // Keep every block so the heap grows until RLIMIT_DATA refuses. The blocks are never
      // touched: the limit counts address space, and a run without the limit (or a sanitizer
      // build, whose allocator fills part of each block) must not eat the machine's memory.
      std::vector<std::unique_ptr<char[]>> blocks;
      for (;;) {
#if HUBGUARD_ASAN
        if (blocks.size() >= 16) throw std::bad_alloc();
#endif
        blocks.emplace_back(new char[64u << 20]);
      }
    }
    case WorkerFault::exit:
      ::_exit(7);
    case WorkerFault::garbage: {
      const char bad[] = "not a frame at all, and much longer than a header may be\n";
      [[maybe_unused]] auto n = ::write(out_fd, bad, sizeof bad - 1);
      return;
    }
  }
}

}  // namespace hubguard::hub
