// The `hubguard stars ...` family: each subcommand registers itself on the `stars` app that
// stars_command.cpp creates. One function per subcommand, one file each.
#pragma once

#include <CLI/CLI.hpp>

namespace hubguard::cli {

void register_stars_ingest(CLI::App& stars, int& exit_code);  // stars_ingest_command.cpp

}  // namespace hubguard::cli
