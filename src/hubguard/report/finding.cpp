#include "hubguard/report/finding.hpp"

namespace hubguard::report {

Finding make_finding(std::string rule, Severity severity, Verdict verdict, std::string category,
                     std::string message, std::uint64_t offset, std::string evidence) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.verdict = verdict;
  f.category = std::move(category);
  f.message = std::move(message);
  f.location.offset = offset;
  f.evidence = std::move(evidence);
  return f;
}

}  // namespace hubguard::report
