// Severities of findings and verdicts of files, with their names as they appear in every
// output format. Verdicts are ordered from best to worst; a file's verdict is the worst
// verdict any of its findings implies.
#pragma once

#include <optional>
#include <string_view>

namespace hubguard::report {

enum class Severity { info, low, medium, high, critical };

// Ordered best to worst. `unscannable` ranks above `suspicious` (we could not show the file
// is harmless) but below `dangerous` (we did not see code that would run).
enum class Verdict { clean, suspicious, unscannable, dangerous, malicious };

std::string_view to_string(Severity s);
std::string_view to_string(Verdict v);
std::optional<Severity> parse_severity(std::string_view s);
std::optional<Verdict> parse_verdict(std::string_view s);

inline Verdict worst(Verdict a, Verdict b) { return a < b ? b : a; }

}  // namespace hubguard::report
