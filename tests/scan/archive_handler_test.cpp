#include <gtest/gtest.h>

#include <algorithm>

#include "container_test_support.hpp"
#include "hubguard/scan/engine.hpp"
#include "hubguard/scan/format_registry.hpp"
#include "hubguard/scan/formats/formats.hpp"

namespace hubguard::scan {
namespace {

using testing::libarchive_write;
using testing::pickle_like;
using testing::raw_bytes;
using testing::RecordingContext;
using testing::root_artifact;
using testing::text_of;

const std::vector<std::pair<std::string, std::string>>& sample_members() {
  static const std::vector<std::pair<std::string, std::string>> m = {
      {"model/data.pkl", pickle_like(100 << 10)},
      {"model/weights.bin", raw_bytes(1 << 20)},
      {"model/config.json", "{\"a\": 1}"},
      {"model/tiny", raw_bytes(100)},
  };
  return m;
}

void expect_sample_children(const RecordingContext& ctx) {
  ASSERT_NE(ctx.child("model/data.pkl"), nullptr);
  EXPECT_TRUE(text_of(ctx.child("model/data.pkl")->bytes) == pickle_like(100 << 10))
      << "size " << ctx.child("model/data.pkl")->bytes.size();
  EXPECT_NE(ctx.child("model/config.json"), nullptr);
  EXPECT_NE(ctx.child("model/tiny"), nullptr);
  EXPECT_EQ(ctx.child("model/weights.bin"), nullptr);  // big raw data: sniffed and skipped
  EXPECT_TRUE(ctx.errors.empty()) << ctx.errors[0];
}

TEST(ArchiveHandler, TarFormatsAreRecognisedAndMembersAreViews) {
  for (const char* format : {"ustar", "gnutar", "pax", "v7tar"}) {
    const std::string tar = libarchive_write(format, "", sample_members());
    Artifact a = root_artifact(tar, "x.bin");
    ASSERT_EQ(detect_format(a), &tar_handler()) << format;
    RecordingContext ctx;
    tar_handler().scan(a, ctx);
    expect_sample_children(ctx);
    const Artifact* pkl = ctx.child("model/data.pkl");
    ASSERT_NE(pkl, nullptr);
    EXPECT_GE(pkl->bytes.data(), a.bytes.data()) << format;  // a view, not a copy
    EXPECT_LT(pkl->bytes.data(), a.bytes.data() + a.bytes.size()) << format;
    EXPECT_EQ(ctx.charged, 0u);
  }
}

TEST(ArchiveHandler, SevenZipAndCpioAreWalked) {
  for (auto [format, handler_name] :
       {std::pair{"7zip", "7z"}, std::pair{"cpio", "archive"}, std::pair{"ar", "archive"}}) {
    auto members = sample_members();
    if (std::string(format) == "ar")  // ar keeps only base names
      for (auto& [n, d] : members) n = n.substr(n.rfind('/') + 1);
    const std::string data = libarchive_write(format, "", members);
    Artifact a = root_artifact(data);
    const FormatHandler* h = detect_format(a);
    ASSERT_NE(h, nullptr) << format;
    EXPECT_EQ(h->name(), handler_name);
    RecordingContext ctx;
    h->scan(a, ctx);
    const std::string prefix = std::string(format) == "ar" ? "" : "model/";
    ASSERT_NE(ctx.child(prefix + "data.pkl"), nullptr) << format;
    EXPECT_EQ(ctx.child(prefix + "weights.bin"), nullptr) << format;
    EXPECT_TRUE(ctx.errors.empty()) << format;
  }
}

TEST(ArchiveHandler, CompressedTarIsStreamedThroughTheFilter) {
  for (const char* filter : {"gzip", "bzip2", "xz", "zstd"}) {
    const std::string tgz = libarchive_write("ustar", filter, sample_members());
    Artifact a = root_artifact(tgz, "x.tgz");
    const FormatHandler* h = detect_format(a);
    ASSERT_NE(h, nullptr) << filter;
    RecordingContext ctx;
    h->scan(a, ctx);
    EXPECT_NE(std::find(ctx.formats.begin(), ctx.formats.end(), "tar"), ctx.formats.end());
    expect_sample_children(ctx);
  }
}

TEST(ArchiveHandler, TruncatedTarIsUnscannableButKeepsWhatCameBefore) {
  std::string tar = libarchive_write("ustar", "", {{"a.pkl", pickle_like(1000)},
                                                   {"b.pkl", pickle_like(100000)}});
  tar.resize(1536 + 512 + 5000);
  RecordingContext ctx;
  tar_handler().scan(root_artifact(tar), ctx);
  EXPECT_NE(ctx.child("a.pkl"), nullptr);
  EXPECT_FALSE(ctx.errors.empty());
}

TEST(ArchiveHandler, MemberCountIsBounded) {
  std::vector<std::pair<std::string, std::string>> many;
  for (int i = 0; i < 50; ++i) many.push_back({"f" + std::to_string(i), "x"});
  RecordingContext ctx;
  ctx.opts.limits.max_members = 10;
  tar_handler().scan(root_artifact(libarchive_write("ustar", "", many)), ctx);
  EXPECT_TRUE(ctx.has_rule("limit.members"));
  EXPECT_LE(ctx.children.size(), 10u);
}

TEST(ArchiveHandler, SevenZipBombIsStopped) {
  const std::string data = libarchive_write("7zip", "", {{"bomb.pkl", pickle_like(64 << 20, '\0')}});
  RecordingContext ctx;
  ctx.opts.limits.max_compression_ratio = 100;
  sevenzip_handler().scan(root_artifact(data), ctx);
  EXPECT_TRUE(ctx.has_rule("limit.compression-ratio"));
  EXPECT_TRUE(ctx.children.empty());
}

TEST(ArchiveHandler, EndToEndTarOfZipOfNumpy) {
  auto npy = testing::make_npy("'|O'", "(1,)", pickle_like(30));
  auto zip = testing::ZipWriter{}.build({{"arr.npy", npy}});
  auto tar = libarchive_write("ustar", "gzip", {{"inner.npz", zip}});
  auto report = scan_bytes(as_bytes(tar), "bundle.tar.gz", ScanOptions{});
  EXPECT_EQ(report.format, "gzip");
  for (const char* f : {"tar", "zip", "numpy-npz", "numpy"})
    EXPECT_NE(std::find(report.formats_seen.begin(), report.formats_seen.end(), f),
              report.formats_seen.end())
        << f;
  bool located = false;
  for (const auto& f : report.findings)
    located = located || (f.rule == "numpy.object-array" && f.location.member == "inner.npz!/arr.npy");
  EXPECT_TRUE(located);
}

}  // namespace
}  // namespace hubguard::scan
