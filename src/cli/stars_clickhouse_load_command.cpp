// `hubguard stars clickhouse-load PATH... --clickhouse URL [--table T] [--create-table]`: put GH
// Archive hours into a ClickHouse table shaped like the public github_events (plus org_login),
// so `stars detect --clickhouse URL` can run on them — how the ClickHouse path is tested on
// the synthetic archive, and a way to serve one's own archive copy from ClickHouse.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/stars_commands.hpp"
#include "hubguard/stars/archive_files.hpp"
#include "hubguard/stars/clickhouse_loader.hpp"
#include "hubguard/stars/extract_sql.hpp"

namespace hubguard::cli {
namespace {

namespace fs = std::filesystem;
using namespace hubguard::stars;

struct LoadArgs {
  std::vector<std::string> paths;
  std::string url;
  std::string table = "github_events";
  bool create = false;
  bool print_ddl = false;
};

int run_load(const LoadArgs& a) {
  if (a.print_ddl) {
    if (!is_safe_sql_identifier(a.table)) {
      std::fprintf(stderr, "hubguard: error: --table may contain only letters, digits, '_', '.', '-'\n");
      return kExitError;
    }
    std::printf("%s;\n", github_events_table_ddl(a.table).c_str());
    return kExitOk;
  }
  if (a.url.empty() || a.paths.empty()) {
    std::fprintf(stderr, "hubguard: error: give PATH... and --clickhouse URL (or --print-ddl)\n");
    return kExitError;
  }
  const auto start = std::chrono::steady_clock::now();
  auto files = list_archive_files(std::vector<fs::path>(a.paths.begin(), a.paths.end()));
  if (!files) {
    std::fprintf(stderr, "hubguard: error: %s\n", files.error().message.c_str());
    return kExitError;
  }
  ClickHouseLoadOptions o;
  o.table = a.table;
  o.create_table = a.create;
  auto stats = load_archives_into_clickhouse(ClickHouseServer{a.url}, *files, o);
  if (!stats) {
    std::fprintf(stderr, "hubguard: error: %s\n", stats.error().message.c_str());
    return kExitError;
  }
  const IngestStats& s = stats->total;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("files %llu, events %llu (stars %llu) -> %llu rows in %llu INSERTs into %s; malformed %llu, "
              "truncated %llu, unknown_shape %llu, out of DateTime range %llu; %.1f s\n",
              static_cast<unsigned long long>(files->size()), static_cast<unsigned long long>(s.events),
              static_cast<unsigned long long>(s.stars), static_cast<unsigned long long>(stats->rows),
              static_cast<unsigned long long>(stats->inserts), a.table.c_str(),
              static_cast<unsigned long long>(s.malformed), static_cast<unsigned long long>(s.truncated),
              static_cast<unsigned long long>(s.unknown_shape), static_cast<unsigned long long>(stats->skipped), secs);
  if (!s.error.empty()) {
    std::fprintf(stderr, "hubguard: error: %s\n", s.error.c_str());
    return kExitError;
  }
  return kExitOk;
}

}  // namespace

void register_stars_clickhouse_load(CLI::App& stars, int& exit_code) {
  auto args = std::make_shared<LoadArgs>();
  CLI::App* cmd = stars.add_subcommand(
      "clickhouse-load", "Load GH Archive hour files into a ClickHouse table shaped like github_events");
  cmd->add_option("paths", args->paths, "GH Archive hour files or directories of them");
  cmd->add_option("--clickhouse", args->url, "ClickHouse HTTP URL, e.g. http://127.0.0.1:8123");
  cmd->add_option("--table", args->table, "Table (or database.table)")->capture_default_str();
  cmd->add_flag("--create-table", args->create, "Create the table first if it does not exist");
  cmd->add_flag("--print-ddl", args->print_ddl, "Only print the CREATE TABLE statement");
  cmd->callback([args, &exit_code] { exit_code = run_load(*args); });
}

}  // namespace hubguard::cli
