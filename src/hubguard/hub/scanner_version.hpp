// The version a cached result is keyed by. It must change whenever detection could change:
// the project version (a release), kScannerRevision (bump it in any commit that changes what
// a reader, analyzer, policy or rule reports, between releases), and the scan options that
// change results (limits, extra YARA rules by content, recorded programs).
#pragma once

#include <string>
#include <string_view>

#include "hubguard/scan/scan_context.hpp"

namespace hubguard::hub {

// Bump when detection logic changes without a project version change.
inline constexpr int kScannerRevision = 1;

// "<project>+r<revision>+<options digest>"; the digest is the first 16 hex digits of the
// SHA-256 of the options that affect results (extra rule files are read and hashed).
std::string scanner_version(std::string_view project_version, const scan::ScanOptions& options);

}  // namespace hubguard::hub
