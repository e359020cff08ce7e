#include "hubguard/report/report.hpp"

namespace hubguard::report {

Summary Report::summarize() const {
  Summary s;
  for (auto v : {Verdict::clean, Verdict::suspicious, Verdict::unscannable, Verdict::dangerous,
                 Verdict::malicious})
    s.by_verdict[std::string(to_string(v))] = 0;
  for (const auto& f : files) {
    ++s.files;
    s.bytes += f.size;
    s.findings += f.findings.size();
    ++s.by_verdict[std::string(to_string(f.verdict))];
    s.worst = worst(s.worst, f.verdict);
    for (const auto& finding : f.findings) ++s.by_category[finding.category];
  }
  return s;
}

}  // namespace hubguard::report
