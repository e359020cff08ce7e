// `hubguard hub worker` (hidden): the worker process of an isolated hub scan. The parent
// (hub/isolated_scanner) starts it with its limits and scan options on the command line and
// talks to it over stdin/stdout (hub/worker_protocol); people never run it by hand.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/hub_commands.hpp"
#include "hubguard/hub/isolated_scanner.hpp"
#include "hubguard/hub/worker_protocol.hpp"

namespace hubguard::cli {
namespace {

struct WorkerArgs {
  unsigned cpu_seconds = hub::IsolationLimits{}.cpu_seconds;
  std::uint64_t memory_bytes = hub::IsolationLimits{}.memory_bytes;
  std::string scan_options = "{}";
};

int run_worker_command(const WorkerArgs& args) {
  auto options = hub::scan_options_from_json(args.scan_options);
  if (!options) {
    std::fprintf(stderr, "hubguard worker: %s\n", options.error().message.c_str());
    return kExitError;
  }
  hub::IsolationLimits limits;
  limits.cpu_seconds = args.cpu_seconds;
  limits.memory_bytes = args.memory_bytes;
  if (auto applied = hub::apply_worker_limits(limits); !applied) {
    std::fprintf(stderr, "hubguard worker: %s\n", applied.error().message.c_str());
    return kExitError;
  }
  // Answers go to a private copy of stdout; stdout itself then points at stderr, so that a
  // stray print anywhere in a library cannot corrupt the answer stream.
  int answers = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (answers < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    std::perror("hubguard worker: cannot set up its answer channel");
    return kExitError;
  }
  int rc = hub::run_worker(STDIN_FILENO, answers, *options, limits.cpu_seconds);
  ::close(answers);
  return rc;
}

}  // namespace

void register_hub_worker_command(CLI::App& hub, int& exit_code) {
  auto args = std::make_shared<WorkerArgs>();
  CLI::App* cmd = hub.add_subcommand("worker", "Scan worker of an isolated hub scan (internal)");
  cmd->group("");  // hidden from --help: started by `hub scan`, not by people
  cmd->add_option("--cpu-seconds", args->cpu_seconds, "CPU seconds per file (0: no limit)");
  cmd->add_option("--memory-bytes", args->memory_bytes, "Heap limit in bytes (0: no limit)");
  cmd->add_option("--scan-options", args->scan_options, "Scan options as JSON");
  cmd->callback([args, &exit_code] { exit_code = run_worker_command(*args); });
}

}  // namespace hubguard::cli
