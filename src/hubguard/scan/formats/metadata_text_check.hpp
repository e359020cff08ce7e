// Free-text metadata that model formats carry (safetensors `__metadata__`, ONNX
// `metadata_props`, GGUF string values) is never executed by the format's own loader, but
// code or download URLs hidden there are a staging trick: a loader script elsewhere reads and
// runs them. This check reports such values as findings and hands code-looking values to the
// code analyzers as evidence, so what the code would do is judged like any other code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/scan/scan_context.hpp"

namespace hubguard::scan {

// The first `max` bytes of `s` on one line (newlines as spaces), "..." when cut: evidence
// excerpts of metadata values and templates.
std::string one_line_excerpt(std::string_view s, std::size_t max);

// True when the text reads like program code or a command line (imports, exec/eval,
// os/subprocess calls, shell pipelines, base64 decoding).
bool looks_like_embedded_code(std::string_view text);
// The http(s)/ftp URLs in `text` (at most a few).
std::vector<std::string> embedded_urls(std::string_view text);

// Report one metadata value: `<format>.metadata-code` (suspicious, plus code evidence) and/or
// `<format>.metadata-url` (info, with the URLs as indicators). `key` names the entry.
void check_metadata_text(std::string_view format, std::string_view key, std::string_view value,
                         std::uint64_t offset, ScanContext& ctx);

}  // namespace hubguard::scan
