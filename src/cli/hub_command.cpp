// `hubguard hub ...`: mirror scanning. Not built yet (see the hub-scale issue); the family
// is registered so that `hubguard --help` shows the product's shape honestly.
#include "cli/commands.hpp"

namespace hubguard::cli {

void register_hub_commands(CLI::App&, int&) {}

}  // namespace hubguard::cli
