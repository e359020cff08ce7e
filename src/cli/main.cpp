// hubguard: guards model hubs (malicious code in models and datasets, found without
// executing them) and code hubs (fake GitHub stars). One binary, one subcommand per job.
#include <cstdio>
#include <exception>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"hubguard: find malicious code in models and datasets, and fake stars on GitHub"};
  app.set_version_flag("--version", std::string("hubguard ") + HUBGUARD_VERSION);
  app.require_subcommand(1);
  int exit_code = hubguard::cli::kExitOk;
  hubguard::cli::register_scan_command(app, exit_code);
  hubguard::cli::register_stars_commands(app, exit_code);
  hubguard::cli::register_hub_commands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : hubguard::cli::kExitError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hubguard: error: %s\n", e.what());
    return hubguard::cli::kExitError;
  }
  return exit_code;
}
