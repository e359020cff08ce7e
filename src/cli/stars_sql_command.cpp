// `hubguard stars sql --engine bigquery|clickhouse --from YYYY-MM --to YYYY-MM`: print the SQL
// that reduces the archive to a detection extract (stars.csv + activity.csv), for running
// where the whole archive lives. `stars detect EXTRACT_DIR` then reads the saved results.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/stars_commands.hpp"
#include "hubguard/stars/extract_sql.hpp"

namespace hubguard::cli {
namespace {

struct SqlArgs {
  std::string engine = "bigquery";
  std::string from, to, table;
};

int run_sql(const SqlArgs& args) {
  stars::ExtractSqlOptions o;
  if (args.engine == "bigquery") {
    o.engine = stars::SqlEngine::kBigQuery;
  } else if (args.engine == "clickhouse") {
    o.engine = stars::SqlEngine::kClickHouse;
  } else {
    std::fprintf(stderr, "hubguard: error: --engine must be bigquery or clickhouse\n");
    return kExitError;
  }
  o.from_month = args.from;
  o.to_month = args.to;
  o.table = args.table;
  auto sql = stars::extract_sql(o);
  if (!sql) {
    std::fprintf(stderr, "hubguard: error: %s\n", sql.error().message.c_str());
    return kExitError;
  }
  std::fputs(sql->c_str(), stdout);
  return kExitOk;
}

}  // namespace

void register_stars_sql(CLI::App& stars, int& exit_code) {
  auto args = std::make_shared<SqlArgs>();
  CLI::App* cmd = stars.add_subcommand(
      "sql", "Print SQL that reduces GH Archive (BigQuery or ClickHouse) to a detection extract");
  cmd->add_option("--engine", args->engine, "bigquery (githubarchive dataset) or clickhouse (github_events)");
  cmd->add_option("--from", args->from, "First month, YYYY-MM (included)")->required();
  cmd->add_option("--to", args->to, "End month, YYYY-MM (excluded: the window is [from, to))")->required();
  cmd->add_option("--table", args->table,
                  "Table: BigQuery dataset prefix (default githubarchive.month) or ClickHouse table "
                  "(default github_events)");
  cmd->callback([args, &exit_code] { exit_code = run_sql(*args); });
}

}  // namespace hubguard::cli
