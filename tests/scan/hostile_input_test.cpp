// The hostile inputs issue 6 names, each through the whole engine (scan_bytes): zip files
// with thousands of members, containers nested past the depth limit, decompression bombs
// spread over many members, JSON nested a hundred thousand levels deep, and a pickle whose
// memo sharing describes an exponentially large structure. Each must be bounded (the scan
// ends, memory stays small) and, when a limit is hit, reported as a limit finding.
#include <gtest/gtest.h>

#include <string>

#include "container_test_support.hpp"
#include "hubguard/scan/engine.hpp"
#include "hubguard/scan/formats/json_guard.hpp"
#include "pickle_assembler.hpp"

namespace hubguard::scan {
namespace {

using report::Verdict;
using testing::ZipMember;
using testing::ZipWriter;

bool has_rule(const report::FileReport& r, std::string_view rule) {
  for (const auto& f : r.findings)
    if (f.rule == rule) return true;
  return false;
}

std::string zip_with_members(int count) {
  std::vector<ZipMember> members;
  members.reserve(count);
  for (int i = 0; i < count; ++i)
    members.push_back({"data/part" + std::to_string(i) + ".txt", "row " + std::to_string(i), 0});
  return ZipWriter{}.build(members);
}

TEST(HostileInput, ZipWithThousandsOfMembersIsScannedInFullUnderTheLimit) {
  const std::string zip = zip_with_members(5000);
  const auto r = scan_bytes(as_bytes(zip), "many.zip", ScanOptions{});
  EXPECT_EQ(r.format, "zip");
  EXPECT_FALSE(has_rule(r, "limit.members"));
  EXPECT_EQ(r.verdict, Verdict::clean) << r.error;
}

TEST(HostileInput, ZipWithMoreMembersThanTheLimitIsReportedUnscannable) {
  const std::string zip = zip_with_members(5000);
  ScanOptions options;
  options.limits.max_members = 1000;
  const auto r = scan_bytes(as_bytes(zip), "many.zip", options);
  EXPECT_TRUE(has_rule(r, "limit.members"));
  EXPECT_EQ(r.verdict, Verdict::unscannable);
}

TEST(HostileInput, GzipNestedPastTheDepthLimitIsReported) {
  std::string data = "\x80\x02]q\x00.";  // a benign pickle at the bottom
  for (int i = 0; i < 20; ++i) data = testing::gzip(data);
  const auto r = scan_bytes(as_bytes(data), "deep.gz", ScanOptions{});  // max_depth 8
  EXPECT_EQ(r.format, "gzip");
  EXPECT_TRUE(has_rule(r, "limit.depth"));
  EXPECT_EQ(r.verdict, Verdict::unscannable);
}

TEST(HostileInput, ManySmallBombsInOneZipSpendTheFileBudgetAndAreReported) {
  // Each member is under the per-member ratio check (below its floor), together they are a
  // bomb: 64 x 900 KiB of zeros deflate to about 1 KiB each.
  std::vector<ZipMember> members;
  for (int i = 0; i < 64; ++i)
    members.push_back({"m" + std::to_string(i) + ".pkl", testing::pickle_like(900 << 10, '\0'), 8});
  const std::string zip = ZipWriter{}.build(members);
  ScanOptions options;
  options.limits.max_total_decompressed = 8ULL << 20;
  const auto r = scan_bytes(as_bytes(zip), "bombs.zip", options);
  EXPECT_TRUE(has_rule(r, "limit.decompressed-total"));
  EXPECT_EQ(r.verdict, Verdict::unscannable);
}

TEST(HostileInput, JsonNestedDeeplyIsRejectedWithoutRecursing) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  EXPECT_GT(json_nesting_depth(deep, kMaxJsonDepth), kMaxJsonDepth);
  EXPECT_FALSE(parse_json_bounded(deep));
  // The same nesting as a safetensors header: the file is unscannable, the scan survives.
  const std::string header = "{\"a\":" + deep + "}";
  std::string file;
  for (int i = 0; i < 8; ++i) file.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xFF));
  file += header;
  const auto r = scan_bytes(as_bytes(file), "deep.safetensors", ScanOptions{});
  EXPECT_EQ(r.format, "safetensors");
  EXPECT_EQ(r.verdict, Verdict::unscannable);
  EXPECT_NE(r.error.find("safetensors"), std::string::npos);
}

TEST(HostileInput, PickleBuildingAnExponentialStructureStaysBounded) {
  // "Billion laughs" for pickles: each level is a list holding the previous level twice
  // (through the memo), so 60 levels describe 2^60 leaves in a few hundred bytes. The VM
  // shares the nodes; printing the program and analysing it must not expand them.
  pickle::test::PickleAsm p;
  p.proto(2).short_unicode("leaf").op('q').u8(0);
  for (int level = 1; level <= 60; ++level)
    p.op(']').op('h').u8(static_cast<std::uint8_t>(level - 1)).op('a')
     .op('h').u8(static_cast<std::uint8_t>(level - 1)).op('a').op('q').u8(static_cast<std::uint8_t>(level));
  p.global("os", "system").op('h').u8(60).op(0x85).op('R').stop();
  ScanOptions options;
  options.keep_programs = true;
  const auto r = scan_bytes(p.bytes(), "laughs.pkl", options);
  EXPECT_EQ(r.verdict, Verdict::dangerous);  // os.system called, whatever its argument
  ASSERT_EQ(r.programs.size(), 1u);
  EXPECT_LT(r.programs[0].text.size(), 4u << 20);  // printed with a bound, not 2^60 leaves
  std::size_t evidence = 0;
  for (const auto& f : r.findings) evidence += f.evidence.size() + f.message.size();
  EXPECT_LT(evidence, 4u << 20);
}

TEST(HostileInput, KerasH5ThatCrashesLibhdf5IsUnscannableAndTheScanSurvives) {
  // Found by keras_h5_fuzzer: libhdf5 1.10.8 reads NULL in H5A__close while closing this
  // mutated Keras H5 file. The handler runs libhdf5 in a forked child, so the crash costs
  // the child, and the file comes out unscannable with the reason.
  const auto r = scan_file(std::filesystem::path(HUBGUARD_FIXTURES) /
                               "regressions/keras_h5/libhdf5_h5a_close_segv.h5",
                           ScanOptions{});
  EXPECT_EQ(r.verdict, Verdict::unscannable);
  EXPECT_NE(r.error.find("hdf5"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace hubguard::scan
