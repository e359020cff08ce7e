#include "hubguard/scan/formats/zip_reader.hpp"

#include <gtest/gtest.h>

#include "container_test_support.hpp"

namespace hubguard::scan {
namespace {

using testing::ZipMember;
using testing::ZipWriter;

bool has_rule(const ZipDirectory& d, std::string_view rule) {
  for (const auto& f : d.anomalies)
    if (f.rule == rule) return true;
  return false;
}

TEST(ZipReader, ListsStoredAndDeflatedMembersFromTheCentralDirectory) {
  ZipWriter w;
  std::string zip = w.build({{"a/data.pkl", "hello", 0}, {"a/b.txt", std::string(1000, 'x'), 8}});
  auto dir = read_zip_directory(as_bytes(zip), 1000);
  ASSERT_TRUE(dir) << dir.error().message;
  ASSERT_EQ(dir->entries.size(), 2u);
  EXPECT_EQ(dir->entries[0].name, "a/data.pkl");
  EXPECT_EQ(dir->entries[0].method, 0);
  EXPECT_TRUE(dir->entries[0].data_ok);
  EXPECT_EQ(zip.substr(dir->entries[0].data_offset, 5), "hello");
  EXPECT_EQ(dir->entries[1].method, 8);
  EXPECT_EQ(dir->entries[1].uncompressed_size, 1000u);
  EXPECT_TRUE(dir->anomalies.empty());
  EXPECT_FALSE(dir->zip64);
}

TEST(ZipReader, ReadsZip64EndRecordsAndExtraFields) {
  ZipWriter w;
  w.zip64 = true;
  std::string zip = w.build({{"x/data.pkl", "payload", 0}, {"x/version", "3\n", 0}});
  auto dir = read_zip_directory(as_bytes(zip), 1000);
  ASSERT_TRUE(dir) << dir.error().message;
  EXPECT_TRUE(dir->zip64);
  ASSERT_EQ(dir->entries.size(), 2u);
  EXPECT_EQ(dir->entries[1].compressed_size, 2u);
  EXPECT_EQ(zip.substr(dir->entries[1].data_offset, 2), "3\n");
}

TEST(ZipReader, FindsTheEndRecordBehindAComment) {
  ZipWriter w;
  w.comment = std::string(5000, 'c') + "PK";
  std::string zip = w.build({{"m", "data", 0}});
  auto dir = read_zip_directory(as_bytes(zip), 1000);
  ASSERT_TRUE(dir) << dir.error().message;
  EXPECT_EQ(dir->entries.size(), 1u);
}

TEST(ZipReader, KeepsTheCentralNameWhenTheLocalNameDiffers) {
  ZipMember m{"archive/data.pkl", "evil", 0};
  m.local_name = "archive/innocent.txt";
  std::string zip = ZipWriter{}.build({m});
  auto dir = read_zip_directory(as_bytes(zip), 1000);
  ASSERT_TRUE(dir);
  EXPECT_EQ(dir->entries[0].name, "archive/data.pkl");
  EXPECT_EQ(dir->entries[0].local_name, "archive/innocent.txt");
  EXPECT_TRUE(dir->entries[0].data_ok);
  EXPECT_TRUE(has_rule(*dir, "zip.name-mismatch"));
}

TEST(ZipReader, ReportsEncryptedFlagButKeepsTheEntry) {
  ZipMember m{"data.pkl", "x", 0};
  m.flags = 1;
  auto zip = ZipWriter{}.build({m});
  auto dir = read_zip_directory(as_bytes(zip), 1000);
  ASSERT_TRUE(dir);
  EXPECT_TRUE(dir->entries[0].data_ok);
  EXPECT_TRUE(has_rule(*dir, "zip.encrypted-flag"));
}

TEST(ZipReader, ReportsOverlappingMembers) {
  ZipMember a{"a", std::string(100, 'a'), 0};
  ZipMember b{"b", std::string(100, 'a'), 0};
  b.local_offset_override = 0;  // b's directory record points at a's local header
  auto zip = ZipWriter{}.build({a, b});
  auto dir = read_zip_directory(as_bytes(zip), 1000);
  ASSERT_TRUE(dir);
  EXPECT_TRUE(has_rule(*dir, "zip.overlap"));
  EXPECT_TRUE(has_rule(*dir, "zip.name-mismatch"));  // b's data has a's local name
}

TEST(ZipReader, ReportsOffsetsOutOfRange) {
  ZipMember a{"a", "data", 0};
  a.local_offset_override = 1u << 30;
  auto zip = ZipWriter{}.build({a});
  auto dir = read_zip_directory(as_bytes(zip), 1000);
  ASSERT_TRUE(dir);
  EXPECT_FALSE(dir->entries[0].data_ok);
  EXPECT_TRUE(has_rule(*dir, "zip.bad-offset"));
}

TEST(ZipReader, BoundsTheNumberOfEntries) {
  std::vector<ZipMember> many;
  for (int i = 0; i < 20; ++i) many.push_back({"m" + std::to_string(i), "d", 0});
  auto zip = ZipWriter{}.build(many);
  auto dir = read_zip_directory(as_bytes(zip), 5);
  ASSERT_TRUE(dir);
  EXPECT_EQ(dir->entries.size(), 5u);
  EXPECT_TRUE(has_rule(*dir, "limit.members"));
}

TEST(ZipReader, RejectsDataWithoutAnEndRecord) {
  std::string junk = "PK\x03\x04" + std::string(100, 'z');
  EXPECT_FALSE(read_zip_directory(as_bytes(junk), 1000));
  auto zip = ZipWriter{}.build({{"a", "b", 0}});
  zip.resize(zip.size() - 10);  // cut into the end record
  EXPECT_FALSE(read_zip_directory(as_bytes(zip), 1000));
}

TEST(ZipReader, NeverReadsOutOfBoundsOnTruncatedInput) {
  auto zip = ZipWriter{}.build({{"a/data.pkl", std::string(300, 'p'), 8}, {"a/version", "3", 0}});
  for (std::size_t n = 0; n < zip.size(); ++n) {
    auto dir = read_zip_directory(as_bytes(zip).first(n), 1000);
    (void)dir;  // must not crash (ASan checks the reads)
  }
}

TEST(ZipReader, ClassifiesFlavoursFromMemberNames) {
  auto kind = [](std::vector<ZipMember> m) {
    auto zip = ZipWriter{}.build(m);
    auto dir = read_zip_directory(as_bytes(zip), 1000);
    return dir ? classify_zip(*dir) : std::string("error");
  };
  EXPECT_EQ(kind({{"archive/data.pkl", "p"}, {"archive/data/0", "x"}, {"archive/version", "3"}}),
            "pytorch-zip");
  EXPECT_EQ(kind({{"m/data/0", "x"}, {"m/version", "3"}}), "pytorch-zip");
  EXPECT_EQ(kind({{"m/code/__torch__.py", "x"}, {"m/constants.pkl", "p"}, {"m/data.pkl", "p"}}),
            "torchscript");
  EXPECT_EQ(kind({{"a.npy", "x"}, {"b.npy", "y"}}), "numpy-npz");
  EXPECT_EQ(kind({{"a.npy", "x"}, {"readme", "y"}}), "zip");
}

}  // namespace
}  // namespace hubguard::scan
