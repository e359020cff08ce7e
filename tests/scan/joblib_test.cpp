// Compressed streams (what compressed joblib files are) and joblib's old 'ZF' format.
#include <gtest/gtest.h>

#include "container_test_support.hpp"
#include "hubguard/scan/engine.hpp"
#include "hubguard/scan/format_registry.hpp"
#include "hubguard/scan/formats/formats.hpp"

namespace hubguard::scan {
namespace {

using testing::pickle_like;
using testing::RecordingContext;
using testing::root_artifact;
using testing::text_of;

struct Case {
  const char* format;
  std::string data;
};

TEST(CompressedStreams, EachCodecIsRecognisedByContentAndDecoded) {
  const std::string payload = pickle_like(200000, 'j');
  std::vector<Case> cases = {
      {"gzip", testing::gzip(payload)},
      {"zlib", testing::zlib_compress(payload)},
      {"bzip2", testing::bzip2(payload)},
      {"xz", testing::xz_or_lzma(payload, false)},
      {"lzma", testing::xz_or_lzma(payload, true)},
  };
  for (const auto& c : cases) {
    Artifact a = root_artifact(c.data, "model.joblib");
    const FormatHandler* h = detect_format(a);
    ASSERT_NE(h, nullptr) << c.format;
    EXPECT_EQ(h->name(), c.format);
    RecordingContext ctx;
    h->scan(a, ctx);
    ASSERT_EQ(ctx.children.size(), 1u) << c.format;
    EXPECT_EQ(text_of(ctx.children[0].bytes), payload) << c.format;
    EXPECT_EQ(ctx.charged, payload.size());
    EXPECT_TRUE(ctx.findings.empty()) << c.format;
  }
}

TEST(CompressedStreams, PickleAndTextAreNotMistakenForZlibOrLzma) {
  for (std::string s : {std::string("x^ is a line of text"), std::string("]q\x00(K\x01K\x02e.", 10),
                        std::string("\x5d\x00\x00\x80\x00garbage-not-lzma", 20)}) {
    Artifact a = root_artifact(s);
    EXPECT_FALSE(zlib_handler().accepts(a));
    EXPECT_FALSE(lzma_handler().accepts(a));
  }
}

TEST(CompressedStreams, TruncatedStreamIsReportedAndWhatWasDecodedIsScanned) {
  const std::string payload = pickle_like(500000, 'k');
  std::string gz = testing::gzip(payload);
  gz.resize(gz.size() / 2);
  RecordingContext ctx;
  gzip_handler().scan(root_artifact(gz), ctx);
  EXPECT_TRUE(ctx.has_rule("gzip.broken-stream"));
  ASSERT_EQ(ctx.children.size(), 1u);
  EXPECT_GT(ctx.children[0].bytes.size(), 1000u);
  EXPECT_EQ(text_of(ctx.children[0].bytes), payload.substr(0, ctx.children[0].bytes.size()));

  std::string xz = testing::xz_or_lzma(payload, false);
  xz.resize(xz.size() - 30);
  RecordingContext xctx;
  xz_handler().scan(root_artifact(xz), xctx);
  EXPECT_TRUE(xctx.has_rule("xz.broken-stream"));
}

TEST(CompressedStreams, BombIsStoppedByTheRatioLimit) {
  std::string gz = testing::gzip(pickle_like(64 << 20, '\0'));
  RecordingContext ctx;
  ctx.opts.limits.max_compression_ratio = 50;
  gzip_handler().scan(root_artifact(gz), ctx);
  EXPECT_TRUE(ctx.has_rule("limit.compression-ratio"));
  EXPECT_TRUE(ctx.children.empty());
}

TEST(CompressedStreams, DecompressionBudgetIsEnforced) {
  std::string gz = testing::gzip(pickle_like(4 << 20, 'b'));
  RecordingContext ctx;
  ctx.opts.limits.max_total_decompressed = 1 << 20;
  gzip_handler().scan(root_artifact(gz), ctx);
  EXPECT_TRUE(ctx.children.empty());
}

TEST(CompressedStreams, ConcatenatedGzipMembersAndTrailingDataAreHandled) {
  std::string gz = testing::gzip("\x80\x04 part one ") + testing::gzip("part two");
  RecordingContext ctx;
  const std::string file = gz + "\x80\x02 appended";  // children view into it
  gzip_handler().scan(root_artifact(file), ctx);
  ASSERT_EQ(ctx.children.size(), 2u);
  EXPECT_EQ(text_of(ctx.children[0].bytes), "\x80\x04 part one part two");
  EXPECT_TRUE(ctx.has_rule("gzip.trailing-data"));
  EXPECT_EQ(text_of(ctx.children[1].bytes), "\x80\x02 appended");
}

TEST(JoblibZFile, OldJoblibCompressedFormatIsDecoded) {
  const std::string payload = pickle_like(1000, 'z');
  std::string hex = "0x3e8";
  hex.resize(19, ' ');
  const std::string zf = "ZF" + hex + testing::zlib_compress(payload);
  Artifact a = root_artifact(zf);
  ASSERT_EQ(detect_format(a), &joblib_zfile_handler());
  RecordingContext ctx;
  joblib_zfile_handler().scan(a, ctx);
  ASSERT_EQ(ctx.children.size(), 1u);
  EXPECT_EQ(text_of(ctx.children[0].bytes), payload);
  EXPECT_TRUE(ctx.findings.empty());

  // Python 2 writers added one more space; a wrong length is an anomaly.
  std::string hex2 = "0x10";
  hex2.resize(20, ' ');
  RecordingContext ctx2;
  joblib_zfile_handler().scan(root_artifact("ZF" + hex2 + testing::zlib_compress(payload)), ctx2);
  ASSERT_EQ(ctx2.children.size(), 1u);
  EXPECT_TRUE(ctx2.has_rule("joblib-zfile.size-mismatch"));
}

TEST(CompressedStreams, EndToEndGzipOfNumpyIsFollowed) {
  auto npy = testing::make_npy("'<f4'", "(2,)", std::string(8, '\0'));
  auto report = scan_bytes(as_bytes(testing::gzip(npy)), "a.npy.gz", ScanOptions{});
  EXPECT_EQ(report.format, "gzip");
  ASSERT_EQ(report.formats_seen.size(), 2u);
  EXPECT_EQ(report.formats_seen[1], "numpy");
  EXPECT_EQ(report.verdict, report::Verdict::clean);
}

}  // namespace
}  // namespace hubguard::scan
