// SHA-256 of a file on disk, read in chunks (not mapped: a file truncated while we read it
// must be an error, not a SIGBUS). Opens only regular files and never blocks on a FIFO.
#pragma once

#include <filesystem>
#include <string>

#include "hubguard/core/result.hpp"

namespace hubguard::hub {

Result<std::string> sha256_of_file(const std::filesystem::path& path);

}  // namespace hubguard::hub
