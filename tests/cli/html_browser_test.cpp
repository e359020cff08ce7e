// The HTML reports in a real browser: Debian's chromium, headless, loads a scan report and the
// stars pages from file:// and dumps the DOM after the page's script ran. The script marks
// <html data-hubguard-ready="1"> as its last step, so a script error (or a Content-Security-
// Policy block of the script) leaves the mark off and fails the test; any console message
// fails it too. Expected rows, their order and counts are compared with what the same command
// reports as JSON/CSV, not with numbers written into the test. Without chromium the test skips,
// or fails when CI=true (CI must run it: `scripts/setup --test` installs chromium).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "run_command.hpp"

namespace hubguard::testing {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> chromium_path() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/snap/bin"})
    for (const char* name : {"chromium", "chromium-browser"}) {
      const fs::path p = fs::path(dir) / name;
      if (::access(p.c_str(), X_OK) == 0) return p.string();
    }
  return std::nullopt;
}

#define REQUIRE_CHROMIUM()                                                                 \
  do {                                                                                     \
    if (!chromium_path()) {                                                                \
      const char* ci = std::getenv("CI");                                                  \
      if (ci && std::string(ci) == "true")                                                 \
        FAIL() << "chromium is not installed, and CI=true requires this test: run "        \
                  "`scripts/setup --test`";                                                \
      GTEST_SKIP() << "chromium is not installed";                                         \
    }                                                                                      \
  } while (0)

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Dump {
  int exit_code = -1;
  std::string dom;
  std::vector<std::string> console;  // console messages (errors, CSP violations, logs)
};

// Loads `page` in headless chromium (its own profile directory, no network services) and
// returns the DOM after load together with every console message the page produced.
Dump dump_dom(const fs::path& page, const fs::path& work) {
  const fs::path profile = work / "chromium-profile";
  const fs::path log = work / "chromium.log";
  fs::create_directories(profile);
  const std::string command =
      "timeout 120 " + shell_quote(*chromium_path()) +
      " --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
      " --disable-extensions --disable-sync --enable-logging=stderr --v=0 --user-data-dir=" +
      shell_quote(profile.string()) + " --dump-dom " +
      shell_quote("file://" + fs::absolute(page).string()) + " 2>" + shell_quote(log.string());
  Dump d;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return d;
  char buffer[65536];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) d.dom.append(buffer, n);
  const int status = ::pclose(pipe);
  d.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::istringstream lines(slurp(log));
  for (std::string line; std::getline(lines, line);)
    if (line.find(":CONSOLE") != std::string::npos) d.console.push_back(line);
  return d;
}

std::string html_open_tag(const std::string& dom) {
  const auto at = dom.find("<html");
  return at == std::string::npos ? std::string() : dom.substr(at, dom.find('>', at) - at + 1);
}

void expect_loaded_cleanly(const Dump& d, const std::string& what) {
  EXPECT_EQ(d.exit_code, 0) << what;
  EXPECT_NE(html_open_tag(d.dom).find("data-hubguard-ready=\"1\""), std::string::npos)
      << what << ": the page's script did not run to the end";
  for (const auto& line : d.console) ADD_FAILURE() << what << ": console: " << line;
}

// Every piece of `text` between an occurrence of `before` and the next `after`, in order
// (plain search: std::regex trips g++ 12's -Wmaybe-uninitialized under the sanitizers).
std::vector<std::string> all_between(const std::string& text, const std::string& before,
                                     const std::string& after) {
  std::vector<std::string> out;
  for (auto at = text.find(before); at != std::string::npos; at = text.find(before, at + 1)) {
    const auto from = at + before.size();
    const auto to = text.find(after, from);
    if (to == std::string::npos) break;
    out.push_back(text.substr(from, to - from));
  }
  return out;
}

int verdict_rank(const std::string& v) {
  static const std::vector<std::string> order = {"clean", "suspicious", "unscannable", "dangerous",
                                                 "malicious"};
  for (std::size_t i = 0; i < order.size(); ++i)
    if (order[i] == v) return static_cast<int>(i);
  return -1;
}

TEST(HtmlBrowser, ScanReportLoadsWithRowsByRiskAndHostileNamesInert) {
  REQUIRE_CHROMIUM();
  const fs::path work = fresh_dir("hubguard_html_browser_scan");
  const fs::path in = work / "in";
  fs::create_directories(in);
  const fs::path fixtures = HUBGUARD_FIXTURES;
  fs::copy_file(fixtures / "scan/malicious/pickle/builtins_exec_p4.pkl", in / "exec.pkl");
  fs::copy_file(fixtures / "scan/benign/pickle/plain_p2.pkl", in / "plain.pkl");
  fs::copy_file(fixtures / "scan/suspicious/unknown_callable_plain_p2.pkl", in / "unknown.pkl");
  fs::copy_file(fixtures / "python/malicious/downloader_exec.py", in / "setup_data.py");
  // A file name that would run script if it reached the page as markup.
  const std::string hostile =
      "<img src=x onerror=document.documentElement.setAttribute('data-pwned','1')>.pkl";
  fs::copy_file(fixtures / "scan/malicious/pickle/builtins_exec_p4.pkl", in / hostile);

  const auto json = run_hubguard("scan -f json " + shell_quote(in.string()));
  const auto expected = nlohmann::json::parse(json.out);
  const fs::path report = work / "report.html";
  const auto r = run_hubguard("scan -f html -o " + shell_quote(report.string()) + " " +
                              shell_quote(in.string()));
  ASSERT_EQ(r.exit_code, json.exit_code);

  const Dump d = dump_dom(report, work);
  expect_loaded_cleanly(d, "scan report");
  EXPECT_EQ(html_open_tag(d.dom).find("data-pwned"), std::string::npos);
  EXPECT_NE(d.dom.find("&lt;img src=x onerror="), std::string::npos);

  // One row per file, worst verdict first; the script counted the visible rows.
  const auto verdicts = all_between(d.dom, "<tr data-filter=\"files\" data-verdict=\"", "\"");
  ASSERT_EQ(verdicts.size(), expected["files"].size());
  for (std::size_t i = 1; i < verdicts.size(); ++i)
    EXPECT_GE(verdict_rank(verdicts[i - 1]), verdict_rank(verdicts[i])) << "row " << i;
  EXPECT_NE(d.dom.find(std::to_string(verdicts.size()) + " shown"), std::string::npos);
  for (const auto& [verdict, n] : expected["summary"]["by_verdict"].items())
    EXPECT_NE(d.dom.find("data-verdict-count=\"" + verdict + "\"><b>" + std::to_string(n.get<int>()) + "</b>"),
              std::string::npos)
        << verdict;
  EXPECT_EQ(verdict_rank(verdicts.front()), verdict_rank(expected["summary"]["worst_verdict"]));
  fs::remove_all(work);
}

TEST(HtmlBrowser, StarsPagesLoadWithTheCampaignTableAndCharts) {
  REQUIRE_CHROMIUM();
  const fs::path work = fresh_dir("hubguard_html_browser_stars");
  const auto r = run_hubguard("stars detect --synthetic 0.05 --seed 3 --threads 2 --out " +
                              shell_quote((work / "det").string()) + " --html " +
                              shell_quote((work / "pages").string()));
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out;

  // Campaigns from the CSV the same run wrote: one "confident" row each in the index.
  std::istringstream csv(slurp(work / "det/campaigns.csv"));
  std::string line;
  std::getline(csv, line);  // header
  std::vector<std::string> campaigns;
  while (std::getline(csv, line))
    if (!line.empty()) campaigns.push_back(line.substr(0, line.find(',')));
  ASSERT_FALSE(campaigns.empty()) << "the synthetic archive plants campaigns";

  const Dump index = dump_dom(work / "pages/index.html", work);
  expect_loaded_cleanly(index, "stars index");
  const auto rows = all_between(index.dom, "<tr data-filter=\"campaigns\">", "</tr>");
  std::size_t confident = 0;
  for (const auto& row : rows) confident += row.find("<td>confident</td>") != std::string::npos;
  EXPECT_EQ(confident, campaigns.size());
  EXPECT_NE(index.dom.find(std::to_string(rows.size()) + " shown"), std::string::npos);
  for (const auto& name : campaigns) EXPECT_NE(index.dom.find(">" + name + "</a>"), std::string::npos) << name;

  // The first campaign's page: timeline, months, and a raster per lockstep cluster.
  const auto links = all_between(index.dom, "<a href=\"repo-1-", "\"");
  ASSERT_EQ(links.size(), 1u);
  const Dump page = dump_dom(work / "pages" / ("repo-1-" + links[0]), work);
  expect_loaded_cleanly(page, links[0]);
  EXPECT_NE(page.dom.find("Star timeline"), std::string::npos);
  EXPECT_NE(page.dom.find("<svg"), std::string::npos);
  EXPECT_NE(page.dom.find("id=\"months-table\""), std::string::npos);
  EXPECT_NE(page.dom.find("<td>yes</td>"), std::string::npos) << "an anomalous month";

  // `stars repo` on the same input: the terminal verdict and the same page for one repository.
  const auto repo = run_hubguard("stars repo " + shell_quote(campaigns.front()) +
                                 " --synthetic 0.05 --seed 3 --threads 2 --html " +
                                 shell_quote((work / "one.html").string()));
  EXPECT_EQ(repo.exit_code, 1) << repo.out;
  EXPECT_NE(repo.out.find(campaigns.front() + ": FAKE-STAR CAMPAIGN"), std::string::npos) << repo.out;
  const Dump one = dump_dom(work / "one.html", work);
  expect_loaded_cleanly(one, "stars repo page");
  EXPECT_NE(one.dom.find("Star timeline"), std::string::npos);
  fs::remove_all(work);
}

}  // namespace
}  // namespace hubguard::testing
