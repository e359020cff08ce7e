// `hubguard stars ...`: fake-star detection over GH Archive data (placeholder until the
// stars engine lands).
#include "cli/commands.hpp"

namespace hubguard::cli {

void register_stars_commands(CLI::App&, int&) {}

}  // namespace hubguard::cli
