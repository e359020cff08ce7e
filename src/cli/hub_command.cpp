// `hubguard hub ...`: mirror scanning. `hub scan ROOT` finds the repositories under ROOT
// (hub mirror, Hugging Face cache, or plain folders), scans every file — in isolated worker
// processes by default, reusing cached results for unchanged content — and reports per
// repository; with --db the queue and results live in PostgreSQL (hub_db_scan.cpp).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/hub_commands.hpp"
#include "cli/hub_db_scan.hpp"
#include "cli/hub_output.hpp"
#include "hubguard/core/parallel.hpp"
#include "hubguard/hub/hub_scanner.hpp"
#include "hubguard/hub/scanner_version.hpp"
#include "hubguard/scan/rules/rule_engine.hpp"

namespace hubguard::cli {
namespace {

struct HubScanArgs {
  std::string root;
  std::string format = "text";
  std::string output;
  std::string fail_on = "dangerous";
  std::string cache;
  bool no_cache = false;
  bool no_isolation = false;
  bool quiet = false;
  bool show_clean = false;
  bool show_program = false;
  unsigned threads = 0;
  unsigned timeout = hub::IsolationLimits{}.wall_seconds;
  unsigned cpu_seconds = hub::IsolationLimits{}.cpu_seconds;
  std::uint64_t memory_mb = hub::IsolationLimits{}.memory_bytes >> 20;
  std::uint64_t hash_limit_mb = 0;  // 0: hash every file
  std::string rules_dir;
  HubDbArgs db;
};

void error(const std::string& message) {
  std::fprintf(stderr, "hubguard: error: %s\n", message.c_str());
}

int run_hub_scan(const HubScanArgs& args) {
  auto fail_on = report::parse_verdict(args.fail_on);
  if (!fail_on || *fail_on == report::Verdict::clean) {
    error("--fail-on must be suspicious, unscannable, dangerous or malicious (got '" +
          args.fail_on + "')");
    return kExitError;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(args.root, ec)) {
    error("not a directory: " + args.root);
    return kExitError;
  }
  if (!args.rules_dir.empty()) {
    if (auto rules = scan::rules::rules_with_directory(args.rules_dir); !rules) {
      error(rules.error().message);
      return kExitError;
    }
  }
  hub::HubScanOptions options;
  options.scan.keep_programs = true;  // one cache entry serves every output format
  options.scan.rules_dir = args.rules_dir;
  options.workers = args.threads > 0 ? args.threads : default_threads();
  options.isolate = !args.no_isolation;
  options.limits.wall_seconds = args.timeout;
  options.limits.cpu_seconds = args.cpu_seconds;
  options.limits.memory_bytes = args.memory_mb << 20;
  options.worker_exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) options.worker_exe = "/proc/self/exe";
  options.scanner_version = hub::scanner_version(HUBGUARD_VERSION, options.scan);
  if (args.hash_limit_mb > 0) options.hash_limit = args.hash_limit_mb << 20;
  if (!args.no_cache)
    options.cache_db =
        args.cache.empty() ? hub::default_cache_path() : std::filesystem::path(args.cache);

  hub::ProgressReporter progress(hub::ProgressReporter::choose(stderr, args.quiet), stderr);
  hub::ProgressCounters last;
  Result<report::HubReport> result = make_error("not run");
  if (!args.db.db.empty()) {
    result = run_hub_db_scan(args.root, args.db, options, [&](std::string_view line) {
      if (!args.quiet) std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
    });
  } else {
    result = hub::scan_hub(args.root, options, [&](const hub::ProgressCounters& c) {
      last = c;
      progress.update(c);
    });
    progress.finish(last);
  }
  if (!result) {
    error(result.error().message);
    return kExitError;
  }
  auto& report = *result;
  report.tool.version = HUBGUARD_VERSION;
  const bool written =
      write_hub_report(report, {args.format, args.output, args.show_clean, args.show_program});
  if (!written) return kExitError;
  return report.summarize().worst >= *fail_on ? kExitFindings : kExitOk;
}

void register_hub_scan_command(CLI::App& hub, int& exit_code) {
  auto args = std::make_shared<HubScanArgs>();
  CLI::App* cmd = hub.add_subcommand(
      "scan", "Scan every repository of a mirror (hub mirror, Hugging Face cache or folders)");
  cmd->add_option("root", args->root, "The mirror's root folder")->required();
  cmd->add_option("-f,--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "html"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write the report to FILE instead of stdout");
  cmd->add_option("-j,--threads", args->threads, "Parallel workers (default: all cores)");
  cmd->add_option("--cache", args->cache,
                  "Result cache database (default: $XDG_CACHE_HOME/hubguard/hub-cache.sqlite)");
  cmd->add_flag("--no-cache", args->no_cache,
                "Scan every file; remember nothing, report no changes");
  cmd->add_option(
      "--hash-limit", args->hash_limit_mb,
      "Cache files over MB by their identity on disk (device, inode, size, mtime) instead "
      "of reading them for a SHA-256 (default 0: hash every file)");
  cmd->add_flag("--no-isolation", args->no_isolation,
                "Scan in threads of this process instead of worker processes (faster; a reader "
                "crash ends the scan)");
  cmd->add_option("--timeout", args->timeout, "Wall-clock seconds per file in a worker")
      ->capture_default_str();
  cmd->add_option("--cpu-limit", args->cpu_seconds, "CPU seconds per file in a worker")
      ->capture_default_str();
  cmd->add_option("--memory-limit", args->memory_mb, "Heap MB of a worker")->capture_default_str();
  cmd->add_option("--fail-on", args->fail_on,
                  "Exit 1 when a repository's verdict is at least this bad "
                  "(suspicious|unscannable|dangerous|malicious)")
      ->capture_default_str();
  cmd->add_option("--rules", args->rules_dir,
                  "Also apply every *.yar/*.yara YARA rule file in DIR");
  cmd->add_flag("--show-clean", args->show_clean, "Text output: list clean repositories too");
  cmd->add_flag("--show-program", args->show_program,
                "Text output: print recovered pickle programs");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress output on stderr");
  add_hub_db_options(*cmd, args->db);
  cmd->callback([args, &exit_code] { exit_code = run_hub_scan(*args); });
}

}  // namespace

void register_hub_commands(CLI::App& app, int& exit_code) {
  CLI::App* hub = app.add_subcommand("hub", "Scan a mirror of model and dataset repositories");
  hub->require_subcommand(1);
  register_hub_scan_command(*hub, exit_code);
  register_hub_report_command(*hub, exit_code);
  register_hub_worker_command(*hub, exit_code);
}

}  // namespace hubguard::cli
