// Runs the built hubguard binary (HUBGUARD_BINARY) with arguments and captures its exit
// code and standard output, so CLI behaviour (exit codes, output shapes) is tested as a
// user meets it.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace hubguard::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q.push_back(c);
  }
  return q + "'";
}

// An empty temporary directory private to this test process.
inline std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// `args` is appended to the binary path as is (quote paths with shell_quote); stderr is
// discarded unless the caller redirects it.
inline CommandResult run_hubguard(const std::string& args) {
  CommandResult result;
  std::string command = shell_quote(HUBGUARD_BINARY) + " " + args;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 65536> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace hubguard::testing
