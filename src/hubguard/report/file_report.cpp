#include "hubguard/report/file_report.hpp"

#include <algorithm>

namespace hubguard::report {

void FileReport::finalize() {
  Verdict v = Verdict::clean;
  for (const auto& f : findings) v = worst(v, f.verdict);
  if (!error.empty()) v = worst(v, Verdict::unscannable);
  verdict = v;
  // Worst first, then by location, so reports read from the most important finding down.
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.verdict != b.verdict) return a.verdict > b.verdict;
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.location.member != b.location.member) return a.location.member < b.location.member;
    return a.location.offset < b.location.offset;
  });
}

}  // namespace hubguard::report
