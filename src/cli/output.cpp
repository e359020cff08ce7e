#include "cli/output.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace hubguard::cli {
namespace {

// Opens `target`, lets `write` fill it and flushes; failures are reported under the name the
// user gave (`shown`), not a temporary file's.
bool write_file(const std::string& target, std::ios::openmode mode, const std::string& shown,
                const std::function<void(std::ostream&)>& write) {
  std::ofstream out(target, mode);
  if (!out) {
    std::fprintf(stderr, "hubguard: error: cannot write %s\n", shown.c_str());
    return false;
  }
  write(out);
  out.flush();
  if (!out) {
    std::fprintf(stderr, "hubguard: error: writing %s failed\n", shown.c_str());
    return false;
  }
  return true;
}

}  // namespace

bool write_output(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    write(std::cout);
    std::cout.flush();
    return static_cast<bool>(std::cout);
  }
  // Replace-by-rename only for regular files: renaming over `-o /dev/null` (as root) would turn
  // the device into a regular file for every process on the machine; a FIFO or device is
  // written in place.
  std::error_code status_ec;
  const auto status = std::filesystem::status(path, status_ec);
  if (!status_ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    return write_file(path, std::ios::binary, path, write);
  }
  const std::string tmp = path + ".tmp";
  if (!write_file(tmp, std::ios::binary | std::ios::trunc, path, write)) return false;
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::fprintf(stderr, "hubguard: error: cannot write %s: %s\n", path.c_str(),
                 ec.message().c_str());
    return false;
  }
  return true;
}

bool stdout_wants_color() { return ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr; }

}  // namespace hubguard::cli
