// End-to-end: every fixture made by tests/fixtures/make_fixtures.py with the real libraries
// (torch, numpy, scikit-learn, joblib, dill, cloudpickle, 7z) is scanned from disk and held to
// what tests/fixtures/scan/manifest.json expects of it: its format, its verdict, the callable
// that must be named, where inside a container the payload must be located. One test per
// fixture, named after the fixture's path, so a failure names the evasion class.
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

using FixtureCase = test::ManifestCase;
using test::describe;

std::vector<FixtureCase> load_manifest() { return test::load_manifest("scan"); }

// The manifest describes anomalies in words (it is written independently of our rule ids).
std::string anomaly_rule(const std::string& words) {
  if (words == "pickle stream broken part-way") return "pickle.broken-stream";
  if (words == "EXT opcode") return "pickle.ext-opcode";
  if (words == "zip local header name differs from central directory") return "zip.name-mismatch";
  if (words == "zip encrypted flag") return "zip.encrypted-flag";
  if (words == "zip CRC mismatch") return "zip.crc-mismatch";
  return "unmapped anomaly: " + words;
}

class FixtureManifest : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(FixtureManifest, ScansAsExpected) {
  const auto& e = GetParam().entry;
  const std::string path = std::string(HUBGUARD_FIXTURES) + "/scan/" + e["path"].get<std::string>();
  ScanOptions options;
  const auto r = scan_file(path, options);
  SCOPED_TRACE(describe(r));

  if (e.contains("format")) {
    const std::string format = e["format"];
    const std::string inner = e.value("inner_format", "");
    EXPECT_TRUE(r.format == format || (!inner.empty() && r.format == inner))
        << "format " << r.format << ", expected " << format;
  }
  if (e.value("kind", "") == "benign") {
    EXPECT_LT(r.verdict, Verdict::dangerous) << "no benign fixture may be dangerous or malicious";
  }
  test::expect_manifest_entry(e, r, anomaly_rule);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixtureManifest, ::testing::ValuesIn(load_manifest()),
                         [](const ::testing::TestParamInfo<FixtureCase>& info) {
                           return info.param.name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FixtureManifest);

TEST(FixtureManifestFile, ExistsAndIsNotEmpty) {
  EXPECT_GT(load_manifest().size(), 50u) << "run scripts/make-fixtures";
}

}  // namespace
}  // namespace hubguard::scan
