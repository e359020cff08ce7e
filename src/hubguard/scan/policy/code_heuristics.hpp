// Text tests on the constant arguments recovered from calls. `looks_like_code_or_command`
// decides when an *unknown* callable that is called becomes dangerous: its arguments read as
// Python code, a shell command line, or an encoded payload. `known_bad_behaviour` is the
// conservative test for the `malicious` verdict: only unmistakable payloads (reverse shells,
// download-and-run, wiping the disk, exfiltrating credentials) match.
#pragma once

#include <optional>
#include <string_view>

namespace hubguard::scan::policy {

bool looks_like_code_or_command(std::string_view text);

struct KnownBad {
  std::string_view category;     // reverse-shell, downloader, destructive, reconnaissance
  std::string_view description;  // "reverse shell over /dev/tcp"
};
std::optional<KnownBad> known_bad_behaviour(std::string_view text);

}  // namespace hubguard::scan::policy
