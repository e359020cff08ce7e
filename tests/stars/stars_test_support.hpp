// Helpers shared by the ingest tests: temporary directories, writing files, the path of the
// real GH Archive hour kept beside the repository (../shared/data/gharchive).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace hubguard::stars::testing {

inline std::filesystem::path real_hour() {
  return std::filesystem::path(HUBGUARD_SOURCE_DIR) / ".." / "shared" / "data" / "gharchive" /
         "2015-01-01-12.json.gz";
}

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("hubguard_ingest_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

#define HUBGUARD_REQUIRE_REAL_HOUR()                                                              \
  do {                                                                                          \
    if (!std::filesystem::exists(::hubguard::stars::testing::real_hour()))                       \
      GTEST_SKIP() << "real GH Archive hour not found at " << ::hubguard::stars::testing::real_hour() \
                   << " (shared/ must sit beside the repository)";                              \
  } while (0)

}  // namespace hubguard::stars::testing
