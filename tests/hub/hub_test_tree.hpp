// Test-side builders of mirror trees in a private temporary folder: write files, copy
// fixtures, make links. Each test builds the layout it checks, so a reader sees the tree.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace hubguard::hub::testing {

namespace fs = std::filesystem;

inline fs::path fresh_tree(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("hubguard_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

inline void write_file(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

inline void copy_fixture(const std::string& fixture, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(fs::path(HUBGUARD_FIXTURES) / fixture, to, fs::copy_options::overwrite_existing);
}

// A protocol-0 pickle calling os.system: written by the test, never loaded.
inline std::string system_pickle(const std::string& command = "echo hubguard-test") {
  return "cos\nsystem\n(S'" + command + "'\ntR.";
}

// A harmless protocol-2 pickle of a dict {'a': 1}.
inline std::string plain_pickle() {
  return std::string("\x80\x02}q\x00X\x01\x00\x00\x00aq\x01K\x01s.", 17);
}

}  // namespace hubguard::hub::testing
