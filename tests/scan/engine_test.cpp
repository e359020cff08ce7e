#include "hubguard/scan/engine.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace hubguard::scan {
namespace {

using report::Verdict;

bool has_rule(const report::FileReport& r, std::string_view rule) {
  for (const auto& f : r.findings)
    if (f.rule == rule) return true;
  return false;
}

TEST(Engine, UnrecognisedBinaryIsReportedNotSilentlyClean) {
  const std::string data("\x01\x02\x03\xfe\xff\x00binary", 12);
  auto r = scan_bytes(as_bytes(data), "blob.bin", ScanOptions{});
  EXPECT_EQ(r.format, "unknown");
  EXPECT_TRUE(has_rule(r, "format.not-analysed"));
}

TEST(Engine, PlainTextAndEmptyFilesAreClean) {
  auto text = scan_bytes(as_bytes("hello world\n"), "README.md", ScanOptions{});
  EXPECT_EQ(text.format, "text");
  EXPECT_EQ(text.verdict, Verdict::clean);
  EXPECT_TRUE(text.findings.empty());
  auto empty = scan_bytes({}, "empty.bin", ScanOptions{});
  EXPECT_EQ(empty.format, "empty");
  EXPECT_EQ(empty.verdict, Verdict::clean);
}

TEST(Engine, ExtensionThatDisagreesWithContentIsAFinding) {
  auto r = scan_bytes(as_bytes("just text"), "model.safetensors", ScanOptions{});
  EXPECT_TRUE(has_rule(r, "format.extension-mismatch"));
  EXPECT_EQ(r.verdict, Verdict::suspicious);
}

TEST(Engine, MissingFileIsUnscannableWithReason) {
  auto r = scan_file("/nonexistent/file.pkl", ScanOptions{});
  EXPECT_EQ(r.verdict, Verdict::unscannable);
  EXPECT_FALSE(r.error.empty());
}

TEST(Engine, CollectFilesWalksDirectoriesSortedAndReportsMissing) {
  auto dir = std::filesystem::temp_directory_path() / "hubguard_collect_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "sub");
  std::ofstream(dir / "b.txt") << "b";
  std::ofstream(dir / "sub" / "a.txt") << "a";
  std::vector<std::string> missing;
  auto files = collect_files({dir, dir / "nope"}, missing);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename(), "b.txt");
  EXPECT_EQ(files[1].filename(), "a.txt");
  ASSERT_EQ(missing.size(), 1u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hubguard::scan

namespace hubguard::scan {
namespace {

TEST(Engine, HashesOnlyWhenAsked) {
  ScanOptions options;
  EXPECT_TRUE(scan_bytes(as_bytes("abc"), "a.txt", options).sha256.empty());
  options.hash_files = true;
  EXPECT_EQ(scan_bytes(as_bytes("abc"), "a.txt", options).sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace hubguard::scan
