// The limits a worker process applies to itself (apply_worker_limits, declared in
// isolated_scanner.hpp) and the per-file CPU bound.
#include "hubguard/hub/worker_limits.hpp"

#include "hubguard/core/sanitizers.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include "hubguard/hub/isolated_scanner.hpp"

namespace hubguard::hub {
namespace {

Result<bool> set_limit(int resource, const char* name, rlim_t soft, rlim_t hard) {
  rlimit current{};
  if (::getrlimit(resource, &current) != 0) return make_error(std::string("getrlimit ") + name + ": " + std::strerror(errno));
  // An unprivileged process cannot raise its hard limit: never ask for more than it has.
  if (current.rlim_max != RLIM_INFINITY && (hard == RLIM_INFINITY || hard > current.rlim_max)) hard = current.rlim_max;
  if (hard != RLIM_INFINITY && (soft == RLIM_INFINITY || soft > hard)) soft = hard;
  rlimit wanted{soft, hard};
  if (::setrlimit(resource, &wanted) != 0) return make_error(std::string("setrlimit ") + name + ": " + std::strerror(errno));
  return true;
}

double cpu_seconds_used() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

}  // namespace

Result<bool> limit_cpu_for_next_file(unsigned cpu_seconds) {
  if (cpu_seconds == 0) return true;
  auto soft = static_cast<rlim_t>(cpu_seconds_used()) + 1 + cpu_seconds;
  // The hard limit stays where it is: SIGXCPU at the soft limit ends the worker (its default
  // action), and the parent's wall-clock deadline backs it up.
  rlimit current{};
  if (::getrlimit(RLIMIT_CPU, &current) != 0) return make_error(std::string("getrlimit RLIMIT_CPU: ") + std::strerror(errno));
  return set_limit(RLIMIT_CPU, "RLIMIT_CPU", soft, current.rlim_max);
}

Result<bool> apply_worker_limits(const IsolationLimits& limits) {
  // Die with the parent: a worker must never outlive the scan that started it.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return make_error(std::string("PR_SET_PDEATHSIG: ") + std::strerror(errno));
  ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);  // best effort: only hardening
  if (auto r = set_limit(RLIMIT_CORE, "RLIMIT_CORE", 0, 0); !r) return r;
  // A worker only reads files and writes to its socket and stderr, which RLIMIT_FSIZE does
  // not cover; a reader bug that tried to write a file gets SIGXFSZ instead.
  if (auto r = set_limit(RLIMIT_FSIZE, "RLIMIT_FSIZE", 0, 0); !r) return r;
#if !HUBGUARD_ASAN
  // AddressSanitizer reserves terabytes of shadow memory, which any data/address-space limit
  // would refuse: sanitizer builds run their workers without the memory bound.
  if (limits.memory_bytes > 0) {
    auto bytes = static_cast<rlim_t>(limits.memory_bytes);
    if (auto r = set_limit(RLIMIT_DATA, "RLIMIT_DATA", bytes, bytes); !r) return r;
  }
#endif
  return limit_cpu_for_next_file(limits.cpu_seconds);
}

}  // namespace hubguard::hub
