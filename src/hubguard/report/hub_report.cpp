#include "hubguard/report/hub_report.hpp"

namespace hubguard::report {

std::string_view to_string(RepositoryKind kind) {
  switch (kind) {
    case RepositoryKind::model: return "model";
    case RepositoryKind::dataset: return "dataset";
    case RepositoryKind::unknown: break;
  }
  return "unknown";
}

std::string_view to_string(FileChange change) {
  switch (change) {
    case FileChange::unchanged: return "unchanged";
    case FileChange::added: return "added";
    case FileChange::modified: return "modified";
    case FileChange::removed: return "removed";
  }
  return "unchanged";
}

HubSummary HubReport::summarize() const {
  HubSummary s;
  for (auto v : {Verdict::clean, Verdict::suspicious, Verdict::unscannable, Verdict::dangerous,
                 Verdict::malicious}) {
    s.repositories_by_verdict[std::string(to_string(v))] = 0;
    s.files_by_verdict[std::string(to_string(v))] = 0;
  }
  for (const auto& repo : repositories) {
    ++s.repositories;
    ++s.repositories_by_verdict[std::string(to_string(repo.verdict))];
    s.worst = worst(s.worst, repo.verdict);
    for (const auto& f : repo.files) {
      ++s.files;
      s.bytes += f.size;
      s.findings += f.findings.size();
      ++s.files_by_verdict[std::string(to_string(f.verdict))];
      for (const auto& finding : f.findings) ++s.findings_by_category[finding.category];
    }
  }
  // files_scanned / files_from_cache are counted by the hub scanner, which knows them.
  s.files_scanned = summary.files_scanned;
  s.files_from_cache = summary.files_from_cache;
  return s;
}

}  // namespace hubguard::report
