#include "hubguard/report/verdict.hpp"

#include <array>

namespace hubguard::report {
namespace {
constexpr std::array<std::string_view, 5> kSeverity = {"info", "low", "medium", "high", "critical"};
constexpr std::array<std::string_view, 5> kVerdict = {"clean", "suspicious", "unscannable",
                                                      "dangerous", "malicious"};
}  // namespace

std::string_view to_string(Severity s) { return kSeverity[static_cast<int>(s)]; }
std::string_view to_string(Verdict v) { return kVerdict[static_cast<int>(v)]; }

std::optional<Severity> parse_severity(std::string_view s) {
  for (std::size_t i = 0; i < kSeverity.size(); ++i)
    if (kSeverity[i] == s) return static_cast<Severity>(i);
  return std::nullopt;
}
std::optional<Verdict> parse_verdict(std::string_view s) {
  for (std::size_t i = 0; i < kVerdict.size(); ++i)
    if (kVerdict[i] == s) return static_cast<Verdict>(i);
  return std::nullopt;
}

}  // namespace hubguard::report
