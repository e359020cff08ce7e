#include "hubguard/report/hub_writers.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "hubguard/report/file_report_json.hpp"

namespace hubguard::report {
namespace {

FileReport file(std::string path, Verdict verdict, std::string rule = {}) {
  FileReport f;
  f.path = std::move(path);
  f.format = "pickle";
  f.size = 10;
  if (!rule.empty())
    f.findings.push_back(
        make_finding(rule, Severity::high, verdict, "code-execution", "bad\x1b[2J", 0, "ev"));
  f.finalize();
  return f;
}

HubReport sample() {
  HubReport r;
  r.tool.version = "1.2.3";
  r.root = "/mirror";
  RepositoryReport clean;
  clean.path = "models/a/clean";
  clean.kind = RepositoryKind::model;
  clean.files = {file("models/a/clean/x.pkl", Verdict::clean)};
  RepositoryReport sus;
  sus.path = "models/b/sus";
  sus.kind = RepositoryKind::model;
  sus.verdict = Verdict::suspicious;
  sus.files = {file("models/b/sus/x.pkl", Verdict::suspicious, "zip.odd")};
  RepositoryReport evil;
  evil.path = "datasets/c/evil";
  evil.kind = RepositoryKind::dataset;
  evil.verdict = Verdict::malicious;
  evil.files = {file("datasets/c/evil/load.py", Verdict::malicious, "python.reverse-shell"),
                file("datasets/c/evil/data.csv", Verdict::clean)};
  evil.contents.dataset_scripts = {"load.py"};
  r.repositories = {clean, sus, evil};
  r.changes = {
      {"datasets/c/evil/load.py", FileChange::modified, Verdict::clean, Verdict::malicious},
      {"models/a/clean/old.pkl", FileChange::removed, Verdict::clean, Verdict::clean},
      {"models/b/sus/x.pkl", FileChange::added, Verdict::clean, Verdict::suspicious}};
  r.summary.files_scanned = 3;
  r.summary.files_from_cache = 1;
  return r;
}

TEST(HubJsonWriter, HasTheDocumentedShape) {
  std::ostringstream out;
  write_hub_json(sample(), out);
  auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["tool"]["version"], "1.2.3");
  ASSERT_EQ(j["repositories"].size(), 3u);
  const auto& evil = j["repositories"][2];
  EXPECT_EQ(evil["path"], "datasets/c/evil");
  EXPECT_EQ(evil["kind"], "dataset");
  EXPECT_EQ(evil["verdict"], "malicious");
  EXPECT_EQ(evil["contents"]["dataset_scripts"], nlohmann::json::array({"load.py"}));
  // Files are the codec's entries, so they decode back.
  auto back = file_report_from_json(evil["files"][0]);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->verdict, Verdict::malicious);
  EXPECT_EQ(j["changes"][0]["change"], "modified");
  EXPECT_EQ(j["changes"][0]["previous"], "clean");
  EXPECT_EQ(j["changes"][1]["current"], nullptr);   // removed: no current verdict
  EXPECT_EQ(j["changes"][2]["previous"], nullptr);  // added: no previous verdict
  EXPECT_EQ(j["summary"]["repositories"], 3);
  EXPECT_EQ(j["summary"]["files"], 4);
  EXPECT_EQ(j["summary"]["files_scanned"], 3);
  EXPECT_EQ(j["summary"]["files_from_cache"], 1);
  EXPECT_EQ(j["summary"]["worst_verdict"], "malicious");
  EXPECT_EQ(j["summary"]["repositories_by_verdict"]["clean"], 1);
}

TEST(HubTextWriter, RepositoriesWorstFirstCleanOnesCountedAndControlBytesEscaped) {
  std::ostringstream out;
  TextOptions flagged_only;
  flagged_only.show_clean = false;
  write_hub_text(sample(), out, flagged_only);
  const auto text = out.str();
  const auto evil = text.find("datasets/c/evil");
  const auto sus = text.find("models/b/sus  (");
  ASSERT_NE(evil, std::string::npos);
  ASSERT_NE(sus, std::string::npos);
  EXPECT_LT(evil, sus);
  EXPECT_EQ(text.find("models/a/clean  ("),
            std::string::npos);  // clean repositories are counted only
  EXPECT_NE(text.find("dataset scripts: load.py"), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);  // no raw escape from a finding message
  EXPECT_NE(text.find("modified  datasets/c/evil/load.py  (clean -> malicious)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("3 repositories (1 clean)"), std::string::npos);

  std::ostringstream with_clean;
  write_hub_text(sample(), with_clean, TextOptions{});  // show_clean by default
  EXPECT_NE(with_clean.str().find("models/a/clean  ("), std::string::npos);
}

TEST(HubRiskOrder, VerdictThenFlaggedFilesThenPath) {
  auto r = sample();
  auto order = repositories_by_risk(r);
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order[0]->path, "datasets/c/evil");
  EXPECT_EQ(order[1]->path, "models/b/sus");
  EXPECT_EQ(order[2]->path, "models/a/clean");
}

}  // namespace
}  // namespace hubguard::report
