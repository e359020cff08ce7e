#include "hubguard/report/html_scan_section.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>

#include "hubguard/report/html_escape.hpp"
#include "hubguard/report/html_flow.hpp"

namespace hubguard::report {
namespace {

constexpr std::size_t kMaxProgramBytes = 256 * 1024;

constexpr std::array<Verdict, 5> kWorstFirst = {Verdict::malicious, Verdict::dangerous,
                                                Verdict::unscannable, Verdict::suspicious,
                                                Verdict::clean};

std::string verdict_badge(Verdict v) {
  return fmt::format("<span class=\"verdict v-{0}\">{0}</span>", to_string(v));
}

void write_evidence(std::ostream& out, const Finding& f) {
  if (f.evidence.empty()) return;
  const auto steps = split_flow(f.evidence);
  if (steps.empty()) {
    out << "<pre class=\"evidence\">" << html_escape(f.evidence) << "</pre>\n";
    return;
  }
  // The flow itself: where the tainted value came from (first step) to the call it reaches.
  out << "<ol class=\"flow\">";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const char* cls = i + 1 == steps.size() ? "sink" : (i == 0 ? "source" : "step");
    out << "<li class=\"" << cls << "\"><span class=\"ln\">line " << steps[i].line << "</span><code>"
        << html_escape(steps[i].code) << "</code></li>";
  }
  out << "</ol>\n";
}

void write_finding(std::ostream& out, const Finding& f) {
  out << "<div class=\"finding sv-" << to_string(f.severity) << "\">"
      << "<div><b>" << to_string(f.severity) << "</b> <code>" << html_escape(f.rule)
      << "</code> " << verdict_badge(f.verdict) << " <span class=\"meta\">"
      << html_escape(f.category) << "</span></div>\n<div>" << html_escape(f.message) << "</div>\n";
  out << "<div class=\"meta\">at " << (f.location.member.empty() ? "the file itself" : "")
      << "<span class=\"path\">" << html_escape(f.location.member) << "</span>, byte offset "
      << f.location.offset << "</div>\n";
  write_evidence(out, f);
  if (!f.indicators.empty()) {
    out << "<ul class=\"indicators\">";
    for (const auto& i : f.indicators)
      out << "<li>" << html_escape(i.kind) << ": " << html_escape(i.value) << "</li>";
    out << "</ul>\n";
  }
  out << "</div>\n";
}

}  // namespace

Severity highest_severity(const FileReport& file) {
  Severity s = Severity::info;
  for (const auto& f : file.findings) s = std::max(s, f.severity);
  return s;
}

std::vector<std::size_t> files_by_risk(std::span<const FileReport> files) {
  std::vector<std::size_t> order(files.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = files[a];
    const auto& y = files[b];
    if (x.verdict != y.verdict) return x.verdict > y.verdict;
    const auto sx = highest_severity(x), sy = highest_severity(y);
    if (sx != sy) return sx > sy;
    if (x.findings.size() != y.findings.size()) return x.findings.size() > y.findings.size();
    return x.path < y.path;
  });
  return order;
}

void write_verdict_cards(std::ostream& out, const std::map<std::string, std::size_t>& by_verdict,
                         std::string_view noun) {
  out << "<div class=\"cards\">";
  for (Verdict v : kWorstFirst) {
    const auto it = by_verdict.find(std::string(to_string(v)));
    const std::size_t n = it == by_verdict.end() ? 0 : it->second;
    out << "<div class=\"card\" data-verdict-count=\"" << to_string(v) << "\"><b>" << n << "</b>"
        << verdict_badge(v) << " " << html_escape(noun) << "</div>";
  }
  out << "</div>\n";
}

std::vector<const FileReport*> pointers_to(std::span<const FileReport> files) {
  std::vector<const FileReport*> out;
  out.reserve(files.size());
  for (const auto& f : files) out.push_back(&f);
  return out;
}

void write_behaviour_table(std::ostream& out, std::span<const FileReport* const> files) {
  struct Count {
    std::size_t findings = 0, files = 0;
    Verdict worst = Verdict::clean;
  };
  std::map<std::string, Count> counts;
  for (const FileReport* file : files) {
    std::map<std::string, bool> seen;
    for (const auto& f : file->findings) {
      auto& c = counts[f.category];
      ++c.findings;
      c.worst = worst(c.worst, f.verdict);
      if (!seen[f.category]) ++c.files, seen[f.category] = true;
    }
  }
  if (counts.empty()) {
    out << "<p>No findings.</p>\n";
    return;
  }
  std::vector<std::pair<std::string, Count>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.second.worst != b.second.worst) return a.second.worst > b.second.worst;
    return a.second.findings > b.second.findings;
  });
  out << "<table class=\"sortable\" id=\"behaviours\"><thead><tr><th>behaviour</th>"
         "<th>worst verdict</th><th class=\"num\">findings</th><th class=\"num\">files</th>"
         "</tr></thead><tbody>\n";
  for (const auto& [category, c] : rows)
    out << "<tr><td>" << html_escape(category) << "</td><td data-sort=\""
        << static_cast<int>(c.worst) << "\">" << verdict_badge(c.worst) << "</td><td class=\"num\">"
        << c.findings << "</td><td class=\"num\">" << c.files << "</td></tr>\n";
  out << "</tbody></table>\n";
}

void write_indicator_table(std::ostream& out, std::span<const FileReport* const> files) {
  std::map<std::pair<std::string, std::string>, std::size_t> counts;
  for (const FileReport* file : files)
    for (const auto& f : file->findings)
      for (const auto& i : f.indicators) ++counts[{i.kind, i.value}];
  if (counts.empty()) return;
  out << "<h2>Indicators</h2>\n<table class=\"sortable\" id=\"indicators\"><thead><tr>"
         "<th>kind</th><th>value</th><th class=\"num\">findings</th></tr></thead><tbody>\n";
  for (const auto& [key, n] : counts)
    out << "<tr><td>" << html_escape(key.first) << "</td><td class=\"path\">"
        << html_escape(key.second) << "</td><td class=\"num\">" << n << "</td></tr>\n";
  out << "</tbody></table>\n";
}

bool has_details(const FileReport& file) {
  return !file.findings.empty() || !file.error.empty() || !file.programs.empty();
}

void write_file_table(std::ostream& out, std::span<const FileReport> files,
                      std::span<const std::size_t> order, std::string_view group,
                      std::string_view anchor_prefix) {
  const std::string g = html_escape(group);
  out << "<table class=\"sortable\" id=\"" << g << "-table\"><thead><tr>"
         "<th class=\"num\">risk</th><th>verdict</th><th>file</th><th>format</th>"
         "<th>severity</th><th class=\"num\">findings</th><th class=\"num\">bytes</th>"
         "</tr></thead><tbody>\n";
  std::size_t rank = 0, clean = 0, unlisted = 0;
  for (std::size_t index : order) {
    const auto& file = files[index];
    ++rank;
    if (file.verdict == Verdict::clean && !has_details(file) && ++clean > kMaxCleanRows) {
      ++unlisted;
      continue;
    }
    out << "<tr data-filter=\"" << g << "\" data-verdict=\"" << to_string(file.verdict)
        << "\"><td class=\"num\">" << rank << "</td><td data-sort=\""
        << static_cast<int>(file.verdict) << "\">" << verdict_badge(file.verdict)
        << "</td><td class=\"path\">";
    if (has_details(file))
      out << "<a href=\"#" << html_escape(anchor_prefix) << index << "\">"
          << html_escape(file.path) << "</a>";
    else
      out << html_escape(file.path);
    const auto sev = highest_severity(file);
    out << "</td><td>" << html_escape(file.format.empty() ? "?" : file.format) << "</td><td data-sort=\""
        << (file.findings.empty() ? -1 : static_cast<int>(sev)) << "\">"
        << (file.findings.empty() ? "" : to_string(sev)) << "</td><td class=\"num\">"
        << file.findings.size() << "</td><td class=\"num\">" << file.size << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
  if (unlisted > 0)
    out << "<p class=\"meta\">" << unlisted
        << " more clean files are not listed (--format json lists every file).</p>\n";
}

void write_file_details(std::ostream& out, const FileReport& file, std::string_view anchor,
                        std::string_view group) {
  out << "<section class=\"item\" id=\"" << html_escape(anchor) << "\" data-filter=\""
      << html_escape(group) << "\" data-verdict=\"" << to_string(file.verdict) << "\">\n<h3>"
      << verdict_badge(file.verdict) << " <span class=\"path\">" << html_escape(file.path)
      << "</span></h3>\n<div class=\"meta\">format " << html_escape(file.format.empty() ? "?" : file.format)
      << ", " << file.size << " bytes";
  if (!file.sha256.empty()) out << ", sha256 <span class=\"path\">" << html_escape(file.sha256) << "</span>";
  if (!file.formats_seen.empty()) {
    out << "; formats met:";
    for (const auto& f : file.formats_seen) out << ' ' << html_escape(f);
  }
  out << "</div>\n";
  if (!file.error.empty())
    out << "<p><b>Could not be analysed completely:</b> " << html_escape(file.error) << "</p>\n";
  for (const auto& f : file.findings) write_finding(out, f);
  for (const auto& p : file.programs) {
    // A hostile pickle can print to megabytes; the page shows the start, JSON has it all.
    const std::string_view text = std::string_view(p.text).substr(0, kMaxProgramBytes);
    // Open where it matters: a clean file's program is there to check, not to read first.
    out << (file.verdict == Verdict::clean ? "<details>" : "<details open>") << "<summary>Recovered program"
        << (p.member.empty() ? std::string() : " in <span class=\"path\">" + html_escape(p.member) + "</span>")
        << "</summary><pre class=\"program\">" << html_escape(text);
    if (text.size() < p.text.size())
      out << "\n... (" << p.text.size() - text.size() << " more bytes: see --format json)";
    out << "</pre></details>\n";
  }
  out << "</section>\n";
}

}  // namespace hubguard::report
