// Behaviour classes and indicators of compromise. Every file judged dangerous or malicious
// must say *what* its code does in the fixed behaviour vocabulary (the finding category);
// classify_behaviour() makes sure of it after all analyzers ran, inferring a class from the
// evidence of findings that carry only a structural category. extract_indicators() pulls the
// network and file-system facts a responder needs (IP addresses, ports, URLs, domains,
// e-mail addresses, targeted paths) out of code or evidence text, by hand-written scanners
// that are linear in the input (no regex engine, no backtracking).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "hubguard/report/finding.hpp"

namespace hubguard::scan {

// reverse-shell, credential-theft, reconnaissance, downloader, shell-command,
// code-execution, destructive, persistence, crypto-mining, file-access, obfuscation.
const std::vector<std::string_view>& behaviour_classes();
bool is_behaviour_class(std::string_view category);

// Indicators found in `text`, deduplicated, in order of appearance, at most `max`.
std::vector<report::Indicator> extract_indicators(std::string_view text, std::size_t max = 32);

// Adds to `finding` the indicators of `text` it does not have yet (bounded).
void add_indicators(report::Finding& finding, std::string_view text, std::size_t max = 32);

// After all analyzers ran on one file: every dangerous/malicious finding whose category is
// not a behaviour class gets one inferred from its rule, message and evidence (a finding
// about os.system becomes shell-command; anything else that runs code, code-execution), and
// findings without indicators get those of their evidence.
void classify_behaviour(std::vector<report::Finding>& findings);

}  // namespace hubguard::scan
