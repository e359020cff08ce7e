// End-to-end over the model-format fixtures written by tests/fixtures/make_format_fixtures.py
// (safetensors, GGUF, Keras v3, ONNX): each file is scanned from disk and held to what
// tests/fixtures/formats/manifest.json expects: its format, its verdict, the callable that
// must be named, the structural anomaly that must be reported. One test per fixture.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hubguard/scan/engine.hpp"
#include "manifest_support.hpp"

namespace hubguard::scan {
namespace {

using report::Verdict;

using FormatFixture = test::ManifestCase;
using test::describe;

std::vector<FormatFixture> load_manifest() { return test::load_manifest("formats"); }

// The manifest names anomalies in words; these are our rule ids for them.
std::string anomaly_rule(const std::string& words) {
  static const std::pair<const char*, const char*> kRules[] = {
      {"safetensors trailing bytes", "safetensors.trailing-data"},
      {"safetensors polyglot", "safetensors.polyglot"},
      {"safetensors metadata code", "safetensors.metadata-code"},
      {"safetensors bad offsets", "safetensors.bad-offsets"},
      {"gguf chat template sandbox escape", "gguf.template-sandbox-escape"},
      {"gguf chat template command execution", "gguf.template-command"},
      {"gguf metadata code", "gguf.metadata-code"},
      {"keras lambda layer", "keras.lambda"},
      {"keras callable outside keras", "keras.foreign-callable"},
      {"keras unsafe deserialization", "keras.unsafe-deserialization"},
      {"keras custom object", "keras.custom-object"},
      {"onnx custom operator domain", "onnx.custom-domain"},
      {"onnx external data escapes", "onnx.external-data-escape"},
      {"onnx metadata code", "onnx.metadata-code"},
      {"savedmodel file read", "savedmodel.file-read"},
      {"savedmodel file write", "savedmodel.file-write"},
      {"savedmodel python op", "savedmodel.python-op"},
      {"savedmodel custom op", "savedmodel.custom-op"},
      {"savedmodel path escape", "savedmodel.path-escape"},
      {"savedmodel print to file", "savedmodel.print-to-file"},
      {"extension mismatch", "format.extension-mismatch"},
  };
  for (const auto& [w, rule] : kRules)
    if (words == w) return rule;
  return "unmapped anomaly: " + words;
}

class FormatFixtures : public ::testing::TestWithParam<FormatFixture> {};

TEST_P(FormatFixtures, ScansAsExpected) {
  const auto& e = GetParam().entry;
  const auto r = scan_file(std::string(HUBGUARD_FIXTURES) + "/formats/" + e["path"].get<std::string>(), {});
  SCOPED_TRACE(describe(r));
  if (e.contains("format")) {
    EXPECT_EQ(r.format, e["format"].get<std::string>());
  }
  if (e.value("kind", "") == "benign") {
    EXPECT_EQ(r.verdict, Verdict::clean) << "benign format fixtures are clean";
  }
  test::expect_manifest_entry(e, r, anomaly_rule);
}

INSTANTIATE_TEST_SUITE_P(Formats, FormatFixtures, ::testing::ValuesIn(load_manifest()),
                         [](const ::testing::TestParamInfo<FormatFixture>& info) { return info.param.name; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FormatFixtures);

TEST(FormatFixtureManifest, ExistsAndIsNotEmpty) {
  EXPECT_GE(load_manifest().size(), 8u) << "run /usr/bin/python3 tests/fixtures/make_format_fixtures.py";
}

}  // namespace
}  // namespace hubguard::scan
