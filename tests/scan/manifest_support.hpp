// Shared by the manifest-driven fixture tests (fixture_manifest_test.cpp over
// tests/fixtures/scan, format_fixtures_test.cpp over tests/fixtures/formats): loading a
// manifest.json into one test case per fixture, and describing a scan result when a test
// fails so the failure shows what the scanner saw.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hubguard/report/file_report.hpp"

namespace hubguard::scan::test {

struct ManifestCase {
  nlohmann::json entry;
  std::string name;  // the fixture path as a test-name-safe identifier
};

// `folder` under HUBGUARD_FIXTURES, e.g. "scan" or "formats". Empty when the manifest is missing.
inline std::vector<ManifestCase> load_manifest(const std::string& folder) {
  std::ifstream in(std::string(HUBGUARD_FIXTURES) + "/" + folder + "/manifest.json");
  std::vector<ManifestCase> cases;
  if (!in) return cases;
  for (auto& entry : nlohmann::json::parse(in)) {
    std::string name = entry["path"].get<std::string>();
    for (char& c : name)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    cases.push_back({entry, name});
  }
  return cases;
}

inline std::string describe(const report::FileReport& r) {
  std::string out = "verdict=" + std::string(to_string(r.verdict)) + " format=" + r.format +
                    " error=" + r.error + "\n";
  for (const auto& f : r.findings)
    out += "  " + f.rule + " [" + std::string(to_string(f.verdict)) + "] " + f.message + " | " +
           f.evidence + " @" + f.location.member + "\n";
  return out;
}

// A finding at least suspicious whose evidence or message names `callable`.
inline bool names_callable(const report::FileReport& r, const std::string& callable) {
  for (const auto& f : r.findings)
    if (f.verdict >= report::Verdict::suspicious &&
        (f.evidence.find(callable) != std::string::npos ||
         f.message.find(callable) != std::string::npos))
      return true;
  return false;
}

// The expectations both manifests share: exact and bounded verdicts, the callable a finding
// must name, the anomaly rule that must fire (`anomaly_rule` maps the manifest's words to our
// rule ids), and the member a dangerous finding must be located in.
template <class AnomalyRule>
void expect_manifest_entry(const nlohmann::json& e, const report::FileReport& r,
                           AnomalyRule anomaly_rule) {
  using report::Verdict;
  if (e.contains("expect_verdict")) {
    EXPECT_EQ(to_string(r.verdict), e["expect_verdict"].get<std::string>());
  }
  if (e.contains("expect_verdict_at_least")) {
    auto at_least = report::parse_verdict(e["expect_verdict_at_least"].get<std::string>());
    ASSERT_TRUE(at_least);
    EXPECT_GE(r.verdict, *at_least);
  }
  if (e.contains("expect_verdict_at_most")) {
    auto at_most = report::parse_verdict(e["expect_verdict_at_most"].get<std::string>());
    ASSERT_TRUE(at_most);
    EXPECT_LE(r.verdict, *at_most);
  }
  if (e.contains("expect_callable")) {
    std::vector<std::string> names{e["expect_callable"].get<std::string>()};
    for (const char* alt : {"canonical_callable", "resolved_callable"})
      if (e.contains(alt)) names.push_back(e[alt].get<std::string>());
    bool named = false;
    for (const auto& n : names) named = named || names_callable(r, n);
    EXPECT_TRUE(named) << "no finding names " << names.front();
  }
  if (e.contains("expect_anomaly")) {
    const std::string rule = anomaly_rule(e["expect_anomaly"].get<std::string>());
    bool found = false;
    for (const auto& f : r.findings) found = found || f.rule == rule;
    EXPECT_TRUE(found) << "no finding " << rule;
  }
  if (e.contains("expect_member")) {
    const std::string member = e["expect_member"];
    bool located = false;
    for (const auto& f : r.findings)
      located = located || (f.verdict >= Verdict::dangerous &&
                            f.location.member.find(member) != std::string::npos);
    EXPECT_TRUE(located) << "no dangerous finding located in member " << member;
  }
}

}  // namespace hubguard::scan::test
