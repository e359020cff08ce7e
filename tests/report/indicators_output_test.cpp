#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "hubguard/report/writers.hpp"

namespace hubguard::report {
namespace {

Report report_with_indicators() {
  Finding f;
  f.rule = "yara.reverse_shell_dev_tcp";
  f.severity = Severity::critical;
  f.verdict = Verdict::malicious;
  f.category = "reverse-shell";
  f.message = "shell redirected to a network socket";
  f.indicators = {{"ip", "10.0.0.7"}, {"port", "4444"}, {"url", "http://evil.example.com/x"}};
  FileReport file;
  file.path = "model.pkl";
  file.findings.push_back(f);
  file.finalize();
  Report r;
  r.files.push_back(file);
  return r;
}

TEST(IndicatorOutput, JsonCarriesIndicatorsOnTheFinding) {
  std::ostringstream out;
  write_json(report_with_indicators(), out);
  auto j = nlohmann::json::parse(out.str());
  const auto& ind = j["files"][0]["findings"][0]["indicators"];
  ASSERT_EQ(ind.size(), 3u);
  EXPECT_EQ(ind[0]["kind"], "ip");
  EXPECT_EQ(ind[0]["value"], "10.0.0.7");
  EXPECT_EQ(ind[1]["value"], "4444");
}

TEST(IndicatorOutput, SarifCarriesIndicatorsInResultProperties) {
  std::ostringstream out;
  write_sarif(report_with_indicators(), out);
  auto j = nlohmann::json::parse(out.str());
  const auto& ind = j["runs"][0]["results"][0]["properties"]["indicators"];
  ASSERT_EQ(ind.size(), 3u);
  EXPECT_EQ(ind[2]["kind"], "url");
  EXPECT_EQ(ind[2]["value"], "http://evil.example.com/x");
}

}  // namespace
}  // namespace hubguard::report
