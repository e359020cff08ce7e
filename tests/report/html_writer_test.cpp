// The HTML writers: escaping of attacker-controlled strings (file names, evidence, programs,
// repository names), risk order, taint flows split into steps, the page's self-containment.
#include "hubguard/report/html_writer.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "hubguard/report/html_escape.hpp"
#include "hubguard/report/html_flow.hpp"
#include "hubguard/report/html_page.hpp"
#include "hubguard/report/html_scan_section.hpp"

namespace hubguard::report {
namespace {

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

Finding finding(Severity s, Verdict v, std::string category, std::string evidence) {
  Finding f;
  f.rule = "test." + category;
  f.severity = s;
  f.verdict = v;
  f.category = std::move(category);
  f.message = "message";
  f.evidence = std::move(evidence);
  return f;
}

FileReport file(std::string path, std::vector<Finding> findings) {
  FileReport f;
  f.path = std::move(path);
  f.format = "pickle";
  f.findings = std::move(findings);
  f.finalize();
  return f;
}

Report hostile_report() {
  Report r;
  r.tool.version = "1.2.3";
  r.files.push_back(file("clean.npy", {}));
  r.files.push_back(file("<script>alert(1)</script>.pkl",
                         {finding(Severity::critical, Verdict::dangerous, "code-execution",
                                  "<img src=x onerror=alert(2)>")}));
  auto evil = file("evil.pkl", {finding(Severity::critical, Verdict::malicious, "reverse-shell",
                                        "s = socket() (line 3) -> os.dup2(s) (line 5)")});
  evil.findings[0].indicators.push_back({"ip", "10.0.0.1\"><script>x()</script>"});
  evil.programs.push_back({"data.pkl", "</pre><script>alert(3)</script>\nos.system('id')"});
  r.files.push_back(evil);
  return r;
}

std::string html_of(const Report& r) {
  std::ostringstream out;
  write_html(r, out);
  return out.str();
}

TEST(HtmlEscape, MarkupQuotesControlBytesAndInvalidUtf8) {
  EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(html_escape(std::string("a\x01" "b\n\tc\x7f\0d", 9)), "a\\x01b\n\tc\\x7f\\x00d");
  EXPECT_EQ(html_escape("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");  // valid UTF-8 kept
  EXPECT_EQ(html_escape("\xff\xc3"), "\\xff\\xc3");                                  // invalid, cut
  EXPECT_EQ(html_escape("\xc0\xaf"), "\\xc0\\xaf");  // overlong '/'
  EXPECT_EQ(html_escape("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
}

TEST(HtmlFlow, SplitsStepsAtLineMarkers) {
  auto steps = split_flow("s = socket() (line 3) -> x = a -> b (line 4) -> os.dup2(s) (line 5)");
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].code, "s = socket()");
  EXPECT_EQ(steps[0].line, 3u);
  EXPECT_EQ(steps[1].code, "x = a -> b");  // an arrow inside a step stays in the step
  EXPECT_EQ(steps[2].code, "os.dup2(s)");
  EXPECT_EQ(steps[2].line, 5u);
  // A marker-like text inside the step is not a cut.
  steps = split_flow("print(' (line 9) x') (line 2)");
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].code, "print(' (line 9) x')");
}

TEST(HtmlFlow, OtherEvidenceIsNotAFlow) {
  EXPECT_TRUE(split_flow("os.system('id')").empty());
  EXPECT_TRUE(split_flow("a (line 3) -> ").empty());
  EXPECT_TRUE(split_flow("a (line x)").empty());
  EXPECT_TRUE(split_flow("").empty());
}

TEST(HtmlWriter, AttackerStringsAreInert) {
  const std::string html = html_of(hostile_report());
  // The page's own script is the only script element; no injected tag survives.
  EXPECT_EQ(count(html, "<script"), 1u);
  EXPECT_EQ(count(html, "<img"), 0u);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;.pkl"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("10.0.0.1&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"), std::string::npos);
}

TEST(HtmlWriter, SelfContainedAndLockedToItsOwnScript) {
  const std::string html = html_of(hostile_report());
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("src="), html.find("src=x"));  // only the escaped evidence says src=
  EXPECT_NE(html.find("script-src " + page_script_csp_source()), std::string::npos);
  EXPECT_NE(html.find(std::string(page_script())), std::string::npos);
  const std::string csp = page_script_csp_source();
  EXPECT_EQ(csp.size(), std::string("'sha256-'").size() + 44);  // base64 of 32 bytes
}

TEST(HtmlWriter, FilesSortedByRiskWithCountsAndEvidence) {
  const std::string html = html_of(hostile_report());
  const auto evil = html.find(">evil.pkl</a>");
  const auto script_file = html.find("&lt;script&gt;alert(1)&lt;/script&gt;.pkl</a>");
  const auto clean = html.find("<td class=\"path\">clean.npy</td>");
  ASSERT_NE(evil, std::string::npos);
  ASSERT_NE(script_file, std::string::npos);
  ASSERT_NE(clean, std::string::npos);
  EXPECT_LT(evil, script_file);  // malicious before dangerous
  EXPECT_LT(script_file, clean);  // dangerous before clean
  EXPECT_NE(html.find("data-verdict-count=\"malicious\"><b>1</b>"), std::string::npos);
  EXPECT_NE(html.find("data-verdict-count=\"clean\"><b>1</b>"), std::string::npos);
  // The flow is shown step by step with the sink marked; the program is shown.
  EXPECT_NE(html.find("<li class=\"source\"><span class=\"ln\">line 3</span><code>s = socket()</code>"),
            std::string::npos);
  EXPECT_NE(html.find("<li class=\"sink\"><span class=\"ln\">line 5</span><code>os.dup2(s)</code>"),
            std::string::npos);
  EXPECT_NE(html.find("os.system(&#39;id&#39;)"), std::string::npos);
  EXPECT_NE(html.find("<td>reverse-shell</td>"), std::string::npos);
}

TEST(HtmlWriter, HubRepositoriesByRiskWithContents) {
  HubReport hub;
  hub.root = "/mirror";
  RepositoryReport quiet;
  quiet.path = "models/a/quiet";
  quiet.kind = RepositoryKind::model;
  quiet.files.push_back(file("models/a/quiet/w.npy", {}));
  RepositoryReport bad;
  bad.path = "datasets/b/<b>bad</b>";
  bad.kind = RepositoryKind::dataset;
  bad.files.push_back(file("datasets/b/x/load.py", {finding(Severity::high, Verdict::dangerous,
                                                            "code-execution", "exec(x)")}));
  bad.verdict = Verdict::dangerous;
  bad.contents.dataset_scripts = {"load.py"};
  bad.contents.not_analysed = {"blob.bin"};
  hub.repositories = {quiet, bad};
  hub.changes.push_back({"datasets/b/x/load.py", FileChange::added, Verdict::clean, Verdict::dangerous});
  std::ostringstream out;
  write_html(hub, out);
  const std::string html = out.str();
  EXPECT_EQ(count(html, "<script"), 1u);
  const auto bad_row = html.find(">datasets/b/&lt;b&gt;bad&lt;/b&gt;</a>");
  const auto quiet_row = html.find("<td class=\"path\">models/a/quiet</td>");
  ASSERT_NE(bad_row, std::string::npos);
  ASSERT_NE(quiet_row, std::string::npos);
  EXPECT_LT(bad_row, quiet_row);
  EXPECT_NE(html.find("dataset loading scripts"), std::string::npos);
  EXPECT_NE(html.find("not analysed"), std::string::npos);
  EXPECT_NE(html.find("Changed since the last run"), std::string::npos);
  EXPECT_NE(html.find("data-verdict-count=\"dangerous\"><b>1</b>"), std::string::npos);
}

}  // namespace
}  // namespace hubguard::report

namespace hubguard::report {
namespace {

TEST(HtmlWriter, CleanRowsPastTheCapAreCountedNotListed) {
  Report r;
  for (std::size_t i = 0; i < kMaxCleanRows + 5; ++i) r.files.push_back(file("c" + std::to_string(i), {}));
  r.files.push_back(file("bad.pkl", {finding(Severity::high, Verdict::dangerous, "code-execution", "x")}));
  const std::string html = html_of(r);
  EXPECT_EQ(count(html, "<tr data-filter=\"files\""), kMaxCleanRows + 1);
  EXPECT_NE(html.find("5 more clean files are not listed"), std::string::npos);
  EXPECT_NE(html.find(">bad.pkl</a>"), std::string::npos);
}

}  // namespace
}  // namespace hubguard::report
