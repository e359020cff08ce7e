#include <gtest/gtest.h>

#include "container_test_support.hpp"
#include "hubguard/scan/engine.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/numpy_header.hpp"

namespace hubguard::scan {
namespace {

using testing::make_npy;
using testing::pickle_like;
using testing::RecordingContext;
using testing::root_artifact;
using testing::text_of;

TEST(NumpyHeader, ParsesVersionsShapesAndItemSizes) {
  for (int major : {1, 2, 3}) {
    auto npy = make_npy("'<f8'", "(3, 4)", std::string(96, '\0'), major);
    auto h = parse_npy_header(as_bytes(npy));
    ASSERT_TRUE(h) << h.error().message;
    EXPECT_EQ(h->major, static_cast<unsigned>(major));
    EXPECT_EQ(h->shape, (std::vector<std::uint64_t>{3, 4}));
    EXPECT_FALSE(h->has_object);
    EXPECT_EQ(h->payload_size(), 96u);
    EXPECT_EQ(h->data_offset % 64, 0u);
  }
  auto scalar = parse_npy_header(as_bytes(make_npy("'<U3'", "()", std::string(12, 'a'))));
  ASSERT_TRUE(scalar);
  EXPECT_EQ(scalar->payload_size(), 12u);
}

TEST(NumpyHeader, FindsObjectFieldsInStructuredDtypes) {
  auto h = parse_npy_header(
      as_bytes(make_npy("[('a', '<i4'), ('b', [('c', '|O')]), ('d', '<f4', (2, 2))]", "(1,)", "")));
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_TRUE(h->has_object);
  auto plain = parse_npy_header(as_bytes(make_npy("[('a', '<i4'), ('d', '<f4', (2, 2))]", "(2,)", "")));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->has_object);
  EXPECT_EQ(plain->payload_size(), 2u * (4 + 16));
}

TEST(NumpyHeader, RejectsMalformedHeaders) {
  EXPECT_FALSE(parse_npy_header(as_bytes(make_npy("'<f4'", "(-1,)", ""))));
  EXPECT_FALSE(parse_npy_header(as_bytes(make_npy("'<f4'", "(1,", ""))));
  EXPECT_FALSE(parse_npy_header(as_bytes(make_npy("__import__('os')", "(1,)", ""))));
  std::string bad_version = make_npy("'<f4'", "(1,)", "");
  bad_version[6] = 9;
  EXPECT_FALSE(parse_npy_header(as_bytes(bad_version)));
  std::string truncated = make_npy("'<f4'", "(1,)", "").substr(0, 30);
  EXPECT_FALSE(parse_npy_header(as_bytes(truncated)));
  std::string deep = "'<f4'";
  for (int i = 0; i < 100; ++i) deep = "[('a', " + deep + ")]";
  EXPECT_FALSE(parse_npy_header(as_bytes(make_npy(deep, "(1,)", ""))));
}

TEST(NumpyHandler, ObjectArrayPayloadIsHandedOnAsAPickle) {
  auto npy = make_npy("'|O'", "(2,)", pickle_like(40));
  RecordingContext ctx;
  numpy_handler().scan(root_artifact(npy), ctx);
  EXPECT_TRUE(ctx.has_rule("numpy.object-array"));
  ASSERT_EQ(ctx.children.size(), 1u);
  EXPECT_EQ(text_of(ctx.children[0].bytes), pickle_like(40));
}

TEST(NumpyHandler, NumericPayloadIsNotHandedOnButTrailingBytesAre) {
  RecordingContext clean;
  numpy_handler().scan(root_artifact(make_npy("'<i2'", "(4,)", std::string(8, '\0'))), clean);
  EXPECT_TRUE(clean.children.empty());
  EXPECT_TRUE(clean.findings.empty());

  RecordingContext trailing;
  const std::string file = make_npy("'<i2'", "(4,)", std::string(8, '\0') + pickle_like(20));
  numpy_handler().scan(root_artifact(file), trailing);  // the child views into `file`
  EXPECT_TRUE(trailing.has_rule("numpy.trailing-data"));
  ASSERT_EQ(trailing.children.size(), 1u);
  EXPECT_EQ(text_of(trailing.children[0].bytes), pickle_like(20));
}

TEST(NumpyHandler, MalformedHeaderMakesTheFileUnscannable) {
  auto report = scan_bytes(as_bytes(make_npy("'<f4'", "[1, 'x']", "")), "a.npy", ScanOptions{});
  EXPECT_EQ(report.format, "numpy");
  EXPECT_EQ(report.verdict, report::Verdict::unscannable);
  EXPECT_NE(report.error.find("numpy"), std::string::npos);
}

}  // namespace
}  // namespace hubguard::scan
