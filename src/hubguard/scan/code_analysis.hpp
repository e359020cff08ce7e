// Analyzers over code evidence (code strings recovered from pickles, Python sources,
// bytecode, templates). The engine calls analyze_code() once per piece of evidence after
// all handlers ran; each analyzer (Python taint, YARA rules ...) adds its findings.
#pragma once

#include <vector>

#include "hubguard/report/finding.hpp"
#include "hubguard/scan/evidence.hpp"
#include "hubguard/scan/scan_context.hpp"

namespace hubguard::scan {

std::vector<report::Finding> analyze_code(const CodeEvidence& code, const ScanOptions& options);

}  // namespace hubguard::scan
