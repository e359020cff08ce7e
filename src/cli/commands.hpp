// Subcommand registration. main.cpp builds the CLI11 app and asks each command family to
// add itself; a family's callback stores the process exit code in `exit_code`.
// Exit codes: 0 = ran and nothing reached the failure threshold, 1 = something did,
// 2 = usage or I/O error.
#pragma once

#include <CLI/CLI.hpp>

namespace hubguard::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

void register_scan_command(CLI::App& app, int& exit_code);   // scan_command.cpp
void register_stars_commands(CLI::App& app, int& exit_code); // stars_command.cpp
void register_hub_commands(CLI::App& app, int& exit_code);   // hub_command.cpp

}  // namespace hubguard::cli
