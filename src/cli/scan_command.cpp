// `hubguard scan PATH...`: scan files and directories for code that would run when a model
// or dataset is loaded, and report per file.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "hubguard/core/parallel.hpp"
#include "hubguard/hub/isolated_scanner.hpp"
#include "hubguard/report/html_writer.hpp"
#include "hubguard/report/writers.hpp"
#include "hubguard/scan/engine.hpp"
#include "hubguard/scan/rules/rule_engine.hpp"

namespace hubguard::cli {
namespace {

struct ScanArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string output;
  std::string fail_on = "dangerous";
  bool show_program = false;
  bool quiet = false;
  bool hash = false;
  bool isolate = false;
  unsigned threads = 0;
  unsigned max_depth = 0;
  std::string rules_dir;
};

// Each file parsed in a worker process under resource limits (the same pool as `hub scan`):
// a reader crash or hang on a hostile file becomes that file's `unscannable` verdict.
report::Report scan_isolated(const std::vector<std::filesystem::path>& files,
                             const scan::ScanOptions& options, unsigned workers) {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) exe = "/proc/self/exe";
  auto scanner = hub::make_isolated_scanner(exe, options, workers, hub::IsolationLimits{});
  std::vector<hub::FileJob> jobs;
  jobs.reserve(files.size());
  for (const auto& f : files) jobs.push_back({f, f.string()});
  report::Report report;
  report.files.resize(files.size());
  scanner->scan(jobs, [&](std::size_t i, report::FileReport r) { report.files[i] = std::move(r); });
  return report;
}

int run_scan(const ScanArgs& args) {
  auto fail_on = report::parse_verdict(args.fail_on);
  if (!fail_on || *fail_on == report::Verdict::clean) {
    std::fprintf(stderr,
                 "hubguard: error: --fail-on must be suspicious, unscannable, dangerous or "
                 "malicious (got '%s')\n",
                 args.fail_on.c_str());
    return kExitError;
  }
  if (!args.rules_dir.empty()) {
    // Compile once up front (cached for the scan): a broken rule file is a usage error.
    auto rules = scan::rules::rules_with_directory(args.rules_dir);
    if (!rules) {
      std::fprintf(stderr, "hubguard: error: %s\n", rules.error().message.c_str());
      return kExitError;
    }
  }
  std::vector<std::filesystem::path> roots(args.paths.begin(), args.paths.end());
  std::vector<std::string> missing;
  auto files = scan::collect_files(roots, missing);
  for (const auto& m : missing) std::fprintf(stderr, "hubguard: error: no such file or directory: %s\n", m.c_str());
  if (!missing.empty()) return kExitError;

  scan::ScanOptions options;
  options.keep_programs = args.show_program || args.format == "json" || args.format == "html";
  options.hash_files = args.hash;
  if (args.max_depth > 0) options.limits.max_depth = args.max_depth;
  options.rules_dir = args.rules_dir;
  const unsigned threads = args.threads > 0 ? args.threads : default_threads();
  auto report = args.isolate ? scan_isolated(files, options, threads)
                             : scan::scan_paths(files, options, threads);
  report.tool.version = HUBGUARD_VERSION;

  bool written = write_output(args.output, [&](std::ostream& out) {
    if (args.format == "json") {
      report::write_json(report, out);
    } else if (args.format == "sarif") {
      report::write_sarif(report, out);
    } else if (args.format == "html") {
      report::write_html(report, out);
    } else {
      report::TextOptions text;
      text.color = args.output.empty() && stdout_wants_color();
      text.show_programs = args.show_program;
      text.show_clean = !args.quiet;
      report::write_text(report, out, text);
    }
  });
  if (!written) return kExitError;
  for (const auto& file : report.files) {
    if (file.size == 0 && !file.error.empty() && file.format.empty()) {
      // The file could not even be read (permissions, vanished): an I/O error.
      std::fprintf(stderr, "hubguard: error: %s: %s\n", file.path.c_str(), file.error.c_str());
    }
  }
  return report.summarize().worst >= *fail_on ? kExitFindings : kExitOk;
}

}  // namespace

void register_scan_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* cmd = app.add_subcommand(
      "scan", "Scan model and dataset files (or directories) without executing them");
  cmd->add_option("paths", args->paths, "Files or directories to scan")->required();
  cmd->add_option("-f,--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "html"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write the report to FILE instead of stdout");
  cmd->add_option("--fail-on", args->fail_on,
                  "Exit 1 when a file's verdict is at least this bad "
                  "(suspicious|unscannable|dangerous|malicious)")
      ->capture_default_str();
  cmd->add_flag("--show-program", args->show_program,
                "Print the program each pickle would run, as Python-like text");
  cmd->add_flag("--hash", args->hash,
                "Report each file's SHA-256 (reads every byte, tensor data included)");
  cmd->add_flag("--isolate", args->isolate,
                "Parse each file in a worker process under CPU and memory limits, so a reader "
                "crash or hang on a hostile file only makes that file unscannable");
  cmd->add_flag("-q,--quiet", args->quiet, "Text output: list only files with findings");
  cmd->add_option("-j,--threads", args->threads, "Worker threads (default: all cores)");
  cmd->add_option("--max-depth", args->max_depth, "Maximum container nesting depth (default 8)");
  cmd->add_option("--rules", args->rules_dir,
                  "Also apply every *.yar/*.yara YARA rule file in DIR (with the built-in rules)");
  cmd->callback([args, &exit_code] { exit_code = run_scan(*args); });
}

}  // namespace hubguard::cli
