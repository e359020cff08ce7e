#include <gtest/gtest.h>

#include <algorithm>

#include "container_test_support.hpp"
#include "hubguard/scan/engine.hpp"
#include "hubguard/scan/formats/formats.hpp"

namespace hubguard::scan {
namespace {

using testing::pickle_like;
using testing::raw_bytes;
using testing::RecordingContext;
using testing::root_artifact;
using testing::text_of;
using testing::ZipMember;
using testing::ZipWriter;

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(ZipHandler, AcceptsByContentNotName) {
  auto zip = ZipWriter{}.build({{"a", "b"}});
  EXPECT_TRUE(zip_handler().accepts(root_artifact(zip, "model.bin")));
  EXPECT_FALSE(zip_handler().accepts(root_artifact("not a zip at all", "model.zip")));
  // A zip appended to something else is claimed by what the file starts with.
  EXPECT_FALSE(zip_handler().accepts(root_artifact("\x80\x02." + zip, "x")));
}

TEST(ZipHandler, PyTorchZipHandsOnPicklesAndSkipsTensorStorage) {
  const std::string storage = raw_bytes(1 << 20);
  auto zip = ZipWriter{}.build({{"archive/data.pkl", pickle_like(300)},
                                {"archive/data/0", storage},
                                {"archive/data/1", raw_bytes(200)},
                                {"archive/version", "3\n"},
                                {"archive/code/helper.txt", std::string(100000, 'x')}});
  RecordingContext ctx;
  Artifact a = root_artifact(zip, "model.pt");
  zip_handler().scan(a, ctx);
  ASSERT_FALSE(ctx.formats.empty());
  EXPECT_EQ(ctx.formats.back(), "pytorch-zip");
  auto names = ctx.child_names();
  EXPECT_TRUE(contains(names, "archive/data.pkl"));
  EXPECT_TRUE(contains(names, "archive/version"));
  EXPECT_TRUE(contains(names, "archive/code/helper.txt"));  // text under the source bound
  EXPECT_FALSE(contains(names, "archive/data/0"));          // big raw storage: skipped
  // Stored members are views into the file, not copies.
  const Artifact* pkl = ctx.child("archive/data.pkl");
  ASSERT_NE(pkl, nullptr);
  EXPECT_GE(pkl->bytes.data(), a.bytes.data());
  EXPECT_LT(pkl->bytes.data(), a.bytes.data() + a.bytes.size());
  EXPECT_EQ(text_of(pkl->bytes), pickle_like(300));
  EXPECT_EQ(ctx.charged, 0u);
  EXPECT_TRUE(ctx.findings.empty());
}

TEST(ZipHandler, LargeStoragePickleIsFoundByContentWhateverItsName) {
  auto zip = ZipWriter{}.build({{"archive/data/7", pickle_like(1 << 20)},
                                {"archive/data.txt", pickle_like(200 << 10)}});
  RecordingContext ctx;
  zip_handler().scan(root_artifact(zip), ctx);
  EXPECT_NE(ctx.child("archive/data/7"), nullptr);
  EXPECT_NE(ctx.child("archive/data.txt"), nullptr);
}

TEST(ZipHandler, NameMismatchIsReportedAndTheDataScannedUnderTheCentralName) {
  ZipMember m{"archive/data.pkl", pickle_like(100)};
  m.local_name = "archive/other.pkl";
  auto zip = ZipWriter{}.build({m});
  RecordingContext ctx;
  zip_handler().scan(root_artifact(zip), ctx);
  EXPECT_TRUE(ctx.has_rule("zip.name-mismatch"));
  ASSERT_NE(ctx.child("archive/data.pkl"), nullptr);
  EXPECT_EQ(text_of(ctx.child("archive/data.pkl")->bytes), pickle_like(100));
}

TEST(ZipHandler, EncryptedFlagOnStoredDataIsReportedAndScanned) {
  ZipMember m{"archive/data.pkl", pickle_like(100)};
  m.flags = 1;
  RecordingContext ctx;
  zip_handler().scan(root_artifact(ZipWriter{}.build({m})), ctx);
  EXPECT_TRUE(ctx.has_rule("zip.encrypted-flag"));
  EXPECT_NE(ctx.child("archive/data.pkl"), nullptr);
}

TEST(ZipHandler, BadCrcIsReportedAndScannedForStoredAndDeflated) {
  ZipMember stored{"s.pkl", pickle_like(100)};
  stored.crc = 0xdeadbeef;
  ZipMember deflated{"d.pkl", pickle_like(5000), 8};
  deflated.crc = 0x12345678;
  RecordingContext ctx;
  zip_handler().scan(root_artifact(ZipWriter{}.build({stored, deflated})), ctx);
  EXPECT_EQ(std::count_if(ctx.findings.begin(), ctx.findings.end(),
                          [](const auto& f) { return f.rule == "zip.crc-mismatch"; }),
            2);
  ASSERT_NE(ctx.child("d.pkl"), nullptr);
  EXPECT_EQ(text_of(ctx.child("d.pkl")->bytes), pickle_like(5000));
  EXPECT_NE(ctx.child("s.pkl"), nullptr);
}

TEST(ZipHandler, DeflatedMembersAreDecodedAndCharged) {
  const std::string big = pickle_like(300 << 10, 'q');
  auto zip = ZipWriter{}.build({{"a/data.pkl", big, 8}, {"a/raw", raw_bytes(300 << 10), 8}});
  RecordingContext ctx;
  zip_handler().scan(root_artifact(zip), ctx);
  ASSERT_NE(ctx.child("a/data.pkl"), nullptr);
  EXPECT_EQ(ctx.child("a/data.pkl")->bytes.size(), big.size());
  EXPECT_EQ(ctx.child("a/raw"), nullptr);
  EXPECT_EQ(ctx.charged, big.size());
  EXPECT_TRUE(ctx.findings.empty());
}

TEST(ZipHandler, DecompressionBombIsBoundedAndSkipped) {
  // 64 MiB that deflate to ~64 KiB: ratio ~1000, above a limit of 100.
  auto zip = ZipWriter{}.build({{"bomb.pkl", pickle_like(64 << 20, '\0'), 8}});
  RecordingContext ctx;
  ctx.opts.limits.max_compression_ratio = 100;
  zip_handler().scan(root_artifact(zip), ctx);
  EXPECT_TRUE(ctx.has_rule("limit.compression-ratio"));
  EXPECT_EQ(ctx.child("bomb.pkl"), nullptr);
}

TEST(ZipHandler, MemberLargerThanTheScanBoundIsScannedInPart) {
  auto zip = ZipWriter{}.build({{"big.pkl", pickle_like(3 << 20, 'z'), 8}});
  RecordingContext ctx;
  ctx.opts.limits.max_scanned_member_size = 1 << 20;
  zip_handler().scan(root_artifact(zip), ctx);
  EXPECT_TRUE(ctx.has_rule("limit.member-size"));
  ASSERT_NE(ctx.child("big.pkl"), nullptr);
  EXPECT_EQ(ctx.child("big.pkl")->bytes.size(), 1u << 20);
}

TEST(ZipHandler, OtherMethodsAreDecodedThroughLibarchive) {
  const std::string payload = pickle_like(100000, 'l');
  ZipMember m{"model.pkl", payload, 14};
  m.flags = 2;  // LZMA end-of-stream marker present
  m.encoded = testing::zip_lzma(payload);
  ASSERT_FALSE(m.encoded->empty());
  ZipMember unknown{"other.pkl", payload, 99};
  unknown.encoded = "garbage";
  const std::string zip = ZipWriter{}.build({m, unknown});
  RecordingContext ctx;
  zip_handler().scan(root_artifact(zip), ctx);
  ASSERT_NE(ctx.child("model.pkl"), nullptr);
  EXPECT_TRUE(text_of(ctx.child("model.pkl")->bytes) == payload);
  EXPECT_EQ(ctx.child("other.pkl"), nullptr);
  EXPECT_TRUE(ctx.has_rule("zip.unsupported-method"));
}

TEST(ZipHandler, CorruptDirectoryIsUnscannable) {
  std::string junk = "PK\x03\x04" + std::string(100, 'z');
  RecordingContext ctx;
  zip_handler().scan(root_artifact(junk), ctx);
  ASSERT_EQ(ctx.errors.size(), 1u);
  EXPECT_NE(ctx.errors[0].find("zip"), std::string::npos);
}

TEST(ZipHandler, EndToEndAnomaliesMakeTheFileSuspiciousAndNestingIsFollowed) {
  // A numpy file inside a zip inside a zip, plus a CRC anomaly.
  std::string npy = testing::make_npy("'<f4'", "(2,)", std::string(8, '\1'));
  auto inner = ZipWriter{}.build({{"x.npy", npy}});
  ZipMember outer{"inner.zip", inner};
  outer.crc = 1;
  auto zip = ZipWriter{}.build({outer});
  auto report = scan_bytes(as_bytes(zip), "outer.zip", ScanOptions{});
  EXPECT_EQ(report.format, "zip");
  EXPECT_TRUE(contains(report.formats_seen, "numpy"));
  bool crc = false;
  for (const auto& f : report.findings) crc = crc || f.rule == "zip.crc-mismatch";
  EXPECT_TRUE(crc);
  EXPECT_EQ(report.verdict, report::Verdict::suspicious);
}

TEST(ZipHandler, NestingDepthIsBoundedByTheEngine) {
  std::string data = "leaf";
  for (int i = 0; i < 12; ++i) data = ZipWriter{}.build({{"level" + std::to_string(i) + ".zip", data}});
  ScanOptions opts;
  opts.limits.max_depth = 4;
  auto report = scan_bytes(as_bytes(data), "deep.zip", opts);
  bool depth = false;
  for (const auto& f : report.findings) depth = depth || f.rule == "limit.depth";
  EXPECT_TRUE(depth);
  EXPECT_EQ(report.verdict, report::Verdict::unscannable);
}

}  // namespace
}  // namespace hubguard::scan
