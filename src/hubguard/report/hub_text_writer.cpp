#include <fmt/format.h>

#include <algorithm>

#include "hubguard/report/hub_writers.hpp"

namespace hubguard::report {
namespace {

// Paths and evidence come from the mirror: control characters are shown escaped so that a
// file name cannot rewrite the terminal.
std::string shown(std::string_view s, std::size_t max = 300) {
  std::string out;
  out.reserve(std::min(s.size(), max));
  for (std::size_t i = 0; i < s.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      out += c == '\n' ? std::string("\\n") : fmt::format("\\x{:02x}", c);
    }
  }
  return s.size() > max ? out + "..." : out;
}

std::size_t flagged_files(const RepositoryReport& r) {
  return static_cast<std::size_t>(
      std::count_if(r.files.begin(), r.files.end(),
                    [](const FileReport& f) { return f.verdict != Verdict::clean; }));
}

std::string join(const std::vector<std::string>& items, std::size_t max = 8) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i)
    out += (i ? ", " : "") + shown(items[i], 120);
  if (items.size() > max) out += fmt::format(", ... ({} more)", items.size() - max);
  return out;
}

const char* kColor[] = {"\033[32m", "\033[33m", "\033[35m", "\033[31m", "\033[1;31m"};

}  // namespace

std::vector<const RepositoryReport*> repositories_by_risk(const HubReport& report) {
  std::vector<const RepositoryReport*> order;
  order.reserve(report.repositories.size());
  for (const auto& r : report.repositories) order.push_back(&r);
  std::stable_sort(order.begin(), order.end(),
                   [](const RepositoryReport* a, const RepositoryReport* b) {
                     if (a->verdict != b->verdict) return a->verdict > b->verdict;
                     const auto fa = flagged_files(*a), fb = flagged_files(*b);
                     if (fa != fb) return fa > fb;
                     return a->path < b->path;
                   });
  return order;
}

void write_hub_text(const HubReport& report, std::ostream& out, const TextOptions& options) {
  auto paint = [&](Verdict v, std::string_view text) {
    if (!options.color) return std::string(text);
    return fmt::format("{}{}\033[0m", kColor[static_cast<int>(v)], text);
  };
  std::size_t clean = 0;
  for (const auto* repo : repositories_by_risk(report)) {
    if (repo->verdict == Verdict::clean) {
      ++clean;
      if (options.show_clean)
        out << fmt::format("{}  {}  ({}, {} files)\n",
                           paint(repo->verdict, fmt::format("{:<11}", "clean")), shown(repo->path),
                           to_string(repo->kind), repo->files.size());
      continue;
    }
    out << fmt::format("{}  {}  ({}, {} files, {} flagged)\n",
                       paint(repo->verdict, fmt::format("{:<11}", to_string(repo->verdict))),
                       shown(repo->path), to_string(repo->kind), repo->files.size(),
                       flagged_files(*repo));
    const auto& c = repo->contents;
    if (!c.remote_code_modules.empty())
      out << "    remote code (auto_map): " << join(c.remote_code_modules) << '\n';
    if (!c.dataset_scripts.empty())
      out << "    dataset scripts: " << join(c.dataset_scripts) << '\n';
    if (!c.not_analysed.empty()) out << "    not analysed: " << join(c.not_analysed) << '\n';
    for (const auto& f : repo->files) {
      if (f.verdict == Verdict::clean) continue;
      out << fmt::format("  {}  {}  [{}]\n",
                         paint(f.verdict, fmt::format("{:<11}", to_string(f.verdict))),
                         shown(f.path), f.format.empty() ? "?" : shown(f.format, 40));
      if (!f.error.empty()) out << "      error: " << shown(f.error) << '\n';
      for (const auto& finding : f.findings) {
        if (finding.verdict == Verdict::clean) continue;
        const std::string where = finding.location.member.empty()
                                      ? std::string()
                                      : " in " + shown(finding.location.member, 120);
        out << fmt::format("      {:<8} {:<28} {}{}\n", to_string(finding.severity), finding.rule,
                           shown(finding.message), where);
        if (!finding.evidence.empty())
          out << "               evidence: " << shown(finding.evidence) << '\n';
      }
      if (options.show_programs)
        for (const auto& p : f.programs) out << "      program: " << shown(p.text, 2000) << '\n';
    }
  }
  if (!report.changes.empty()) {
    out << fmt::format("\nChanges since the last run ({}):\n", report.changes.size());
    for (const auto& c : report.changes) {
      std::string verdicts;
      switch (c.change) {
        case FileChange::added:
          verdicts = std::string(to_string(c.current));
          break;
        case FileChange::removed:
          verdicts = fmt::format("was {}", to_string(c.previous));
          break;
        default:
          verdicts = fmt::format("{} -> {}", to_string(c.previous), to_string(c.current));
      }
      out << fmt::format("  {:<9} {}  ({})\n", to_string(c.change), shown(c.path), verdicts);
    }
  }
  const HubSummary s = report.summarize();
  out << fmt::format(
      "\n{} repositories ({} clean), {} files ({} scanned, {} from cache), {:.1f} MB, {} findings:",
      s.repositories, clean, s.files, s.files_scanned, s.files_from_cache,
      static_cast<double>(s.bytes) / 1e6, s.findings);
  for (const auto& [verdict, count] : s.repositories_by_verdict)
    if (count > 0) out << fmt::format(" {} {}", count, verdict);
  out << " (repositories)\n";
}

}  // namespace hubguard::report
