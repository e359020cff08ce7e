#include "cli/output.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace hubguard::cli {

bool write_output(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    write(std::cout);
    std::cout.flush();
    return static_cast<bool>(std::cout);
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      std::fprintf(stderr, "hubguard: error: cannot write %s\n", path.c_str());
      return false;
    }
    write(out);
    out.flush();
    if (!out) {
      std::fprintf(stderr, "hubguard: error: writing %s failed\n", path.c_str());
      return false;
    }
  }
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
