// The per-file CPU bound of a worker process. RLIMIT_CPU counts a process's whole lifetime,
// and a worker scans thousands of files, so before each file the soft limit is moved to the
// CPU time used so far plus the per-file allowance: a reader that spins gets SIGXCPU after
// that allowance, whatever came before it.
#pragma once

#include "hubguard/core/result.hpp"

namespace hubguard::hub {

Result<bool> limit_cpu_for_next_file(unsigned cpu_seconds);

}  // namespace hubguard::hub
