#include "hubguard/core/mapped_file.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "hubguard/core/hash.hpp"

namespace hubguard {
namespace {

std::filesystem::path temp_file(const std::string& name, const std::string& content) {
  auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(MappedFile, MapsFileContent) {
  auto path = temp_file("hubguard_mapped_file_test.bin", "hello");
  auto file = MappedFile::open(path);
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(as_text(file->bytes()), "hello");
  std::filesystem::remove(path);
}

TEST(MappedFile, EmptyFileIsAnEmptyView) {
  auto path = temp_file("hubguard_mapped_empty.bin", "");
  auto file = MappedFile::open(path);
  ASSERT_TRUE(file.ok());
  EXPECT_TRUE(file->bytes().empty());
  std::filesystem::remove(path);
}

TEST(MappedFile, MissingFileAndDirectoryAreErrors) {
  EXPECT_FALSE(MappedFile::open("/nonexistent/hubguard").ok());
  auto dir = MappedFile::open(std::filesystem::temp_directory_path());
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message.find("not a regular file"), std::string::npos);
}

TEST(Hash, Sha256OfKnownInput) {
  // SHA-256("abc") from FIPS 180-2, appendix B.1.
  EXPECT_EQ(sha256_hex(as_bytes("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace hubguard
