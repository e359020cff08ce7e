// Shared by the manifest-driven fixture tests (fixture_manifest_test.cpp over
// tests/fixtures/scan, format_fixtures_test.cpp over tests/fixtures/formats): loading a
// manifest.json into one test case per fixture, and describing a scan result when a test
// fails so the failure shows what the scanner saw.
#pragma once

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

}  // namespace hubguard::scan::test
