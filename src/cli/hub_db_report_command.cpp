// `hubguard hub report ROOT --db URL`: prints the report of a PostgreSQL hub scan from the
// stored results, in the same formats as `hub scan`. Scans nothing and writes nothing.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/hub_output.hpp"
#include "cli/hub_db_scan.hpp"
#include "hubguard/hub/pg_queue.hpp"

namespace hubguard::cli {
namespace {

struct HubReportArgs {
  std::string root;
  std::string db;
  std::string format = "text";
  std::string output;
  std::string fail_on = "dangerous";
  bool show_clean = false;
  bool show_program = false;
};

int run_hub_report(const HubReportArgs& args) {
  auto fail_on = report::parse_verdict(args.fail_on);
  if (!fail_on || *fail_on == report::Verdict::clean) {
    std::fprintf(stderr, "hubguard: error: --fail-on must be suspicious, unscannable, dangerous or malicious\n");
    return kExitError;
  }
  const std::string key = hub::pg_root_key(args.root);
  auto queue = hub::PgQueue::open(args.db, key);
  if (!queue) {
    std::fprintf(stderr, "hubguard: error: %s\n", queue.error().message.c_str());
    return kExitError;
  }
  auto progress = queue->progress();
  auto result = queue->read_report();
  if (!progress || !result) {
    std::fprintf(stderr, "hubguard: error: %s\n", (!progress ? progress.error() : result.error()).message.c_str());
    return kExitError;
  }
  if (progress->total() == 0)
    std::fprintf(stderr, "hubguard: warning: the database holds no queue for %s\n", key.c_str());
  else if (progress->queued + progress->running > 0)
    std::fprintf(stderr, "hubguard: %zu of %zu repositories finished (%zu queued, %zu running)\n",
                 progress->done, progress->total(), progress->queued, progress->running);
  auto& report = *result;
  report.root = args.root;
  report.tool.version = HUBGUARD_VERSION;
  const bool written = write_hub_report(
      report, {args.format, args.output, args.show_clean, args.show_program});
  if (!written) return kExitError;
  return report.summarize().worst >= *fail_on ? kExitFindings : kExitOk;
}

}  // namespace

void register_hub_report_command(CLI::App& hub, int& exit_code) {
  auto args = std::make_shared<HubReportArgs>();
  CLI::App* cmd = hub.add_subcommand("report", "Print the report of a hub scan stored in PostgreSQL (--db)");
  cmd->add_option("root", args->root, "The mirror's root folder, as given to `hub scan --db`")->required();
  cmd->add_option("--db", args->db, "postgresql://... URL or libpq keyword string")->required();
  cmd->add_option("-f,--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "html"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write the report to FILE instead of stdout");
  cmd->add_option("--fail-on", args->fail_on, "Exit 1 when a repository's verdict is at least this bad")
      ->capture_default_str();
  cmd->add_flag("--show-clean", args->show_clean, "Text output: list clean repositories too");
  cmd->add_flag("--show-program", args->show_program, "Text output: print recovered pickle programs");
  cmd->callback([args, &exit_code] { exit_code = run_hub_report(*args); });
}

}  // namespace hubguard::cli
