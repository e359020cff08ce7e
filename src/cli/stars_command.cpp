// `hubguard stars ...`: fake-star detection over GH Archive data. This file only creates the
// family; each subcommand lives in its own stars_*_command.cpp (see stars_commands.hpp).
#include "cli/commands.hpp"
#include "cli/stars_commands.hpp"

namespace hubguard::cli {

void register_stars_commands(CLI::App& app, int& exit_code) {
  CLI::App* stars = app.add_subcommand("stars", "Find fake GitHub stars in GH Archive data");
  stars->require_subcommand(1);
  register_stars_ingest(*stars, exit_code);
  register_stars_detect(*stars, exit_code);
  register_stars_generate(*stars, exit_code);
  register_stars_evaluate(*stars, exit_code);
  register_stars_sql(*stars, exit_code);
  register_stars_clickhouse_load(*stars, exit_code);
  register_stars_repo(*stars, exit_code);
}

}  // namespace hubguard::cli
