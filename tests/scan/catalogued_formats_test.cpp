// Formats recognised but not taken apart: each is named from its magic bytes; those that
// carry no code are clean, those that can carry code are listed as not analysed
// (suspicious), and unknown bytes stay "unknown" with an info finding.
#include <gtest/gtest.h>

#include <string>

#include "hubguard/scan/engine.hpp"
#include "manifest_support.hpp"
#include "test_encoders.hpp"

namespace hubguard::scan {
namespace {

using report::Verdict;

report::FileReport scan_string(const std::string& bytes, const std::string& name = "file.bin") {
  return scan_bytes(Bytes(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
                    name, {});
}

bool has_rule(const report::FileReport& r, const std::string& rule) {
  for (const auto& f : r.findings)
    if (f.rule == rule) return true;
  return false;
}

struct Case {
  const char* format;
  std::string bytes;
  bool carries_code;
};

std::string padded(std::string head, std::size_t size = 64) {
  head.resize(std::max(head.size(), size), '\x01');
  return head;
}

TEST(CataloguedFormats, EachIsNamedAndJudgedByWhetherItCarriesCode) {
  const Case cases[] = {
      {"tflite", padded(std::string("\x1c\x00\x00\x00TFL3", 8)), false},
      {"ggml", padded("tjgg"), false},
      {"fasttext", padded(std::string("\xBA\x16\x4F\x2F\x0C\x00\x00\x00", 8)), false},
      {"catboost", padded("CBM1"), false},
      {"lightgbm", "tree\nversion=v3\nnum_class=1\n", false},
      {"xgboost-json", "{\"learner\":{\"gradient_booster\":{}},\"version\":[1,7,0]}", false},
      {"parquet", "PAR1" + std::string(32, '\x02') + "PAR1", false},
      {"png", padded(std::string("\x89PNG\r\n\x1A\n", 8)), false},
      {"pmml", "<?xml version=\"1.0\"?>\n<PMML version=\"4.4\"></PMML>\n", false},
      {"r-serialized", padded(std::string("X\n\x00\x00\x00\x03\x00\x04\x02\x00", 10)), true},
      {"mlflow-model", "artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.sklearn\n", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.format);
    const auto r = scan_string(c.bytes);
    SCOPED_TRACE(test::describe(r));
    EXPECT_EQ(r.format, c.format);
    EXPECT_EQ(has_rule(r, "format.not-analysed"), c.carries_code);
    EXPECT_EQ(r.verdict, c.carries_code ? Verdict::suspicious : Verdict::clean);
  }
}

TEST(CataloguedFormats, UnknownBinaryIsListedAsNotAnalysed) {
  const auto r = scan_string(std::string("\x00\x13\x37\xfe\xed\xfa\xce", 7) + std::string(64, '\xee'));
  EXPECT_EQ(r.format, "unknown");
  EXPECT_TRUE(has_rule(r, "format.not-analysed"));
}

TEST(CataloguedFormats, CompressedRDataIsFoundInsideTheCompression) {
  // saveRDS compresses by default; the decompressing readers hand the stream to detection.
  const std::string rds = padded(std::string("X\n\x00\x00\x00\x03\x00\x04\x02\x00", 10), 256);
  const auto r = scan_string(test::zlib_compress(rds), "model.rds");
  SCOPED_TRACE(test::describe(r));
  EXPECT_TRUE(has_rule(r, "format.not-analysed"));
  EXPECT_EQ(r.verdict, Verdict::suspicious);
}

}  // namespace
}  // namespace hubguard::scan
