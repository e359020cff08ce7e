// The `hubguard hub ...` family, one file per subcommand; hub_command.cpp creates the `hub`
// subcommand and calls these.
#pragma once

#include <CLI/CLI.hpp>

namespace hubguard::cli {

void register_hub_worker_command(CLI::App& hub, int& exit_code);  // hub_worker_command.cpp
void register_hub_report_command(CLI::App& hub, int& exit_code);  // hub_db_report_command.cpp

}  // namespace hubguard::cli
