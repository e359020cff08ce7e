#include "hubguard/report/writers.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace hubguard::report {
namespace {

Report sample_report() {
  Report r;
  r.tool.version = "9.9.9";
  FileReport bad;
  bad.path = "models/evil.pt";
  bad.format = "pytorch-zip";
  Finding f;
  f.rule = "pickle.dangerous-call";
  f.severity = Severity::critical;
  f.verdict = Verdict::dangerous;
  f.category = "shell-command";
  f.message = "calls os.system";
  f.location = {"archive/data.pkl", 42};
  f.evidence = "os.system('id')\x01";
  bad.findings.push_back(f);
  bad.finalize();
  FileReport good;
  good.path = "models/ok.npy";
  good.format = "numpy";
  good.finalize();
  FileReport broken;
  broken.path = "models/broken.pkl";
  broken.error = "truncated";
  broken.finalize();
  r.files = {bad, good, broken};
  return r;
}

TEST(Verdict, WorstFindingDecidesAndErrorsMakeUnscannable) {
  auto r = sample_report();
  EXPECT_EQ(r.files[0].verdict, Verdict::dangerous);
  EXPECT_EQ(r.files[1].verdict, Verdict::clean);
  EXPECT_EQ(r.files[2].verdict, Verdict::unscannable);
  EXPECT_EQ(r.summarize().worst, Verdict::dangerous);
}

TEST(Verdict, NamesRoundTrip) {
  for (auto v : {Verdict::clean, Verdict::suspicious, Verdict::unscannable, Verdict::dangerous,
                 Verdict::malicious})
    EXPECT_EQ(parse_verdict(to_string(v)), v);
  EXPECT_FALSE(parse_verdict("bad").has_value());
}

TEST(JsonWriter, HasTheDocumentedShape) {
  std::ostringstream out;
  write_json(sample_report(), out);
  auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["tool"]["name"], "hubguard");
  EXPECT_EQ(j["tool"]["version"], "9.9.9");
  ASSERT_EQ(j["files"].size(), 3u);
  const auto& f0 = j["files"][0];
  EXPECT_EQ(f0["path"], "models/evil.pt");
  EXPECT_EQ(f0["format"], "pytorch-zip");
  EXPECT_EQ(f0["verdict"], "dangerous");
  const auto& finding = f0["findings"][0];
  for (const char* key : {"rule", "severity", "category", "message", "location", "evidence"})
    EXPECT_TRUE(finding.contains(key)) << key;
  EXPECT_EQ(finding["location"]["member"], "archive/data.pkl");
  EXPECT_EQ(finding["location"]["offset"], 42);
  EXPECT_TRUE(f0["error"].is_null());
  EXPECT_EQ(j["files"][2]["error"], "truncated");
  EXPECT_EQ(j["summary"]["files"], 3);
  EXPECT_EQ(j["summary"]["by_verdict"]["dangerous"], 1);
}

TEST(JsonWriter, InvalidUtf8InEvidenceDoesNotThrow) {
  auto r = sample_report();
  r.files[0].findings[0].evidence = std::string("\xff\xfe bad", 6);
  std::ostringstream out;
  EXPECT_NO_THROW(write_json(r, out));
  EXPECT_TRUE(nlohmann::json::accept(out.str()));
}

TEST(SarifWriter, IsSarif210WithRulesResultsAndNotifications) {
  std::ostringstream out;
  write_sarif(sample_report(), out);
  auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["version"], "2.1.0");
  const auto& run = j["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "hubguard");
  ASSERT_EQ(run["tool"]["driver"]["rules"].size(), 1u);
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["id"], "pickle.dangerous-call");
  ASSERT_EQ(run["results"].size(), 1u);
  EXPECT_EQ(run["results"][0]["level"], "error");
  EXPECT_EQ(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "models/evil.pt");
  EXPECT_EQ(run["invocations"][0]["toolExecutionNotifications"].size(), 1u);
}

TEST(TextWriter, EscapesControlCharactersAndSummarises) {
  std::ostringstream out;
  write_text(sample_report(), out);
  const std::string text = out.str();
  EXPECT_NE(text.find("dangerous"), std::string::npos);
  EXPECT_NE(text.find("\\x01"), std::string::npos) << "control bytes must be escaped";
  EXPECT_EQ(text.find('\x01'), std::string::npos);
  EXPECT_NE(text.find("3 files"), std::string::npos);
}

}  // namespace
}  // namespace hubguard::report
