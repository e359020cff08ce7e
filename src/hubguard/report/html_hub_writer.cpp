// The hub page: repositories and files by verdict, behaviours, repositories sorted by risk,
// what changed since the last run, then per flagged repository what it holds and its files'
// findings with their evidence.
#include <algorithm>
#include <fmt/format.h>

#include "hubguard/report/html_escape.hpp"
#include "hubguard/report/html_page.hpp"
#include "hubguard/report/html_scan_section.hpp"
#include "hubguard/report/html_writer.hpp"

namespace hubguard::report {
namespace {

struct RepoRisk {
  std::size_t flagged_files = 0, findings = 0;
};

RepoRisk risk_of(const RepositoryReport& repo) {
  RepoRisk r;
  for (const auto& f : repo.files) {
    r.findings += f.findings.size();
    if (f.verdict != Verdict::clean) ++r.flagged_files;
  }
  return r;
}

std::vector<std::size_t> repositories_by_risk(const HubReport& report) {
  std::vector<std::size_t> order(report.repositories.size());
  std::vector<RepoRisk> risk;
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
    risk.push_back(risk_of(report.repositories[i]));
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = report.repositories[a];
    const auto& y = report.repositories[b];
    if (x.verdict != y.verdict) return x.verdict > y.verdict;
    if (risk[a].flagged_files != risk[b].flagged_files)
      return risk[a].flagged_files > risk[b].flagged_files;
    if (risk[a].findings != risk[b].findings) return risk[a].findings > risk[b].findings;
    return x.path < y.path;
  });
  return order;
}

void write_list(std::ostream& out, std::string_view label, const std::vector<std::string>& items) {
  if (items.empty()) return;
  out << "<div><b>" << html_escape(label) << "</b>:";
  for (const auto& i : items) out << " <span class=\"path\">" << html_escape(i) << "</span>";
  out << "</div>\n";
}

void write_contents(std::ostream& out, const RepositoryContents& c) {
  for (const auto& [format, files] : c.model_files)
    write_list(out, "model files (" + format + ")", files);
  write_list(out, "dataset loading scripts", c.dataset_scripts);
  write_list(out, "remote code modules (auto_map)", c.remote_code_modules);
  write_list(out, "not analysed", c.not_analysed);
}

void write_repository_table(std::ostream& out, const HubReport& report,
                            const std::vector<std::size_t>& order) {
  out << "<table class=\"sortable\" id=\"repositories-table\"><thead><tr>"
         "<th class=\"num\">risk</th><th>verdict</th><th>repository</th><th>kind</th>"
         "<th class=\"num\">files</th><th class=\"num\">flagged files</th>"
         "<th class=\"num\">findings</th></tr></thead><tbody>\n";
  std::size_t rank = 0, clean = 0, unlisted = 0;
  for (std::size_t index : order) {
    const auto& repo = report.repositories[index];
    const auto r = risk_of(repo);
    ++rank;
    if (repo.verdict == Verdict::clean && ++clean > kMaxCleanRows) {
      ++unlisted;
      continue;
    }
    out << "<tr data-filter=\"repositories\" data-verdict=\"" << to_string(repo.verdict)
        << "\"><td class=\"num\">" << rank << "</td><td data-sort=\"" << static_cast<int>(repo.verdict)
        << "\"><span class=\"verdict v-" << to_string(repo.verdict) << "\">"
        << to_string(repo.verdict) << "</span></td><td class=\"path\">";
    if (repo.verdict != Verdict::clean)
      out << "<a href=\"#repo-" << index << "\">" << html_escape(repo.path) << "</a>";
    else
      out << html_escape(repo.path);
    out << "</td><td>" << to_string(repo.kind) << "</td><td class=\"num\">" << repo.files.size()
        << "</td><td class=\"num\">" << r.flagged_files << "</td><td class=\"num\">" << r.findings
        << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
  if (unlisted > 0)
    out << "<p class=\"meta\">" << unlisted
        << " more clean repositories are not listed (--format json lists every one).</p>\n";
}

void write_changes(std::ostream& out, const std::vector<ChangedFile>& changes) {
  std::size_t shown = 0;
  for (const auto& c : changes) shown += c.change != FileChange::unchanged;
  if (shown == 0) return;
  out << "<h2>Changed since the last run</h2>\n<table class=\"sortable\" id=\"changes-table\">"
         "<thead><tr><th>change</th><th>file</th><th>before</th><th>now</th></tr></thead><tbody>\n";
  for (const auto& c : changes) {
    if (c.change == FileChange::unchanged) continue;
    const bool had_before = c.change == FileChange::modified || c.change == FileChange::removed;
    const bool has_now = c.change == FileChange::added || c.change == FileChange::modified;
    out << "<tr><td>" << to_string(c.change) << "</td><td class=\"path\">" << html_escape(c.path)
        << "</td><td>" << (had_before ? to_string(c.previous) : "") << "</td><td>"
        << (has_now ? to_string(c.current) : "") << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
}

}  // namespace

void write_html(const HubReport& report, std::ostream& out) {
  const HubSummary s = report.summarize();
  std::string subtitle = fmt::format(
      "{} {} · {} · {} repositories, {} files, {} bytes, {} findings · worst verdict: {}",
      report.tool.name, report.tool.version, report.root, s.repositories, s.files, s.bytes,
      s.findings, to_string(s.worst));
  if (s.files_scanned + s.files_from_cache > 0)
    subtitle += fmt::format(" · {} files scanned, {} from the cache", s.files_scanned,
                            s.files_from_cache);
  write_page_start(out, "hubguard hub scan report", subtitle);

  out << "<h2>Repositories by verdict</h2>\n";
  write_verdict_cards(out, s.repositories_by_verdict, "repositories");
  out << "<h2>Files by verdict</h2>\n";
  write_verdict_cards(out, s.files_by_verdict, "files");
  std::vector<const FileReport*> all;
  for (const auto& repo : report.repositories)
    for (const auto& f : repo.files) all.push_back(&f);
  out << "<h2>Behaviours</h2>\n";
  write_behaviour_table(out, all);
  write_indicator_table(out, all);

  const auto order = repositories_by_risk(report);
  out << "<h2>Repositories, most at risk first</h2>\n" << filter_bar("repositories");
  write_repository_table(out, report, order);
  write_changes(out, report.changes);

  out << "<h2>Flagged repositories</h2>\n";
  std::size_t shown = 0;
  for (std::size_t index : order) {
    const auto& repo = report.repositories[index];
    if (repo.verdict == Verdict::clean) continue;
    ++shown;
    out << "<section class=\"item\" id=\"repo-" << index << "\" data-filter=\"repositories\" "
        << "data-verdict=\"" << to_string(repo.verdict) << "\">\n<h3><span class=\"verdict v-"
        << to_string(repo.verdict) << "\">" << to_string(repo.verdict)
        << "</span> <span class=\"path\">" << html_escape(repo.path) << "</span> <span class=\"meta\">"
        << to_string(repo.kind) << "</span></h3>\n";
    write_contents(out, repo.contents);
    const auto files = files_by_risk(repo.files);
    const std::string group = fmt::format("repo-{}-files", index);
    write_file_table(out, repo.files, files, group, fmt::format("repo-{}-file-", index));
    for (std::size_t f : files)
      if (has_details(repo.files[f]))
        write_file_details(out, repo.files[f], fmt::format("repo-{}-file-{}", index, f), group);
    out << "</section>\n";
  }
  if (shown == 0) out << "<p>No repository has findings.</p>\n";
  write_page_end(out);
}

}  // namespace hubguard::report
