// JSON documents inside model files (safetensors headers, Keras configs) are parsed with
// nlohmann-json, whose parser recurses once per nesting level: a hostile "[[[[..." would
// exhaust the stack. This guard measures the nesting depth in one flat pass first and parses
// only documents within bounds, returning errors as values (no exception escapes).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "hubguard/core/result.hpp"

namespace hubguard::scan {

inline constexpr unsigned kMaxJsonDepth = 256;

// The deepest nesting of arrays/objects in `text` (strings skipped), stopping early once
// `limit` is passed.
unsigned json_nesting_depth(std::string_view text, unsigned limit);

// Parse `text` as one JSON document if its nesting stays within `max_depth`.
Result<nlohmann::json> parse_json_bounded(std::string_view text, unsigned max_depth = kMaxJsonDepth);

// A JSON value as short printable text for evidence (never throws on bad UTF-8).
std::string json_excerpt(const nlohmann::json& value, std::size_t max_size = 200);

}  // namespace hubguard::scan
