// `hubguard hub worker` (hidden): the worker process of an isolated hub scan. Filled in by the
// isolation work of the hub-scale issue; registered from hub_command.cpp.
#include "cli/hub_commands.hpp"

namespace hubguard::cli {

void register_hub_worker_command(CLI::App&, int&) {}

}  // namespace hubguard::cli
