// The `hubguard stars ...` family: each subcommand registers itself on the `stars` app that
// stars_command.cpp creates. One function per subcommand, one file each.
#pragma once

#include <CLI/CLI.hpp>

namespace hubguard::cli {

void register_stars_ingest(CLI::App& stars, int& exit_code);  // stars_ingest_command.cpp
void register_stars_detect(CLI::App& stars, int& exit_code);    // stars_detect_command.cpp
void register_stars_generate(CLI::App& stars, int& exit_code);  // stars_generate_command.cpp
void register_stars_evaluate(CLI::App& stars, int& exit_code);  // stars_evaluate_command.cpp
void register_stars_sql(CLI::App& stars, int& exit_code);       // stars_sql_command.cpp
void register_stars_clickhouse_load(CLI::App& stars, int& exit_code);  // stars_clickhouse_load_command.cpp
void register_stars_repo(CLI::App& stars, int& exit_code);      // stars_repo_command.cpp

}  // namespace hubguard::cli
