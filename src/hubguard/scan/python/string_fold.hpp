// Constant folding helpers for Python text: decoding string literal escapes, integer
// literals, and the static decodings an obfuscator uses to hide a name or a payload
// (base64, hex, rot13, reversal). Everything is bounded by the output size limit; a
// decoding that fails gives nothing rather than a guess.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hubguard::scan::python {

// The value of a string literal's body (between the quotes); raw literals keep backslashes.
std::string decode_string_escapes(std::string_view body, bool raw, std::size_t max_size);
std::optional<long long> parse_int_literal(std::string_view text);
std::optional<std::string> base64_decode(std::string_view text, std::size_t max_size);
std::optional<std::string> base32_decode(std::string_view text, std::size_t max_size);
std::optional<std::string> hex_decode(std::string_view text, std::size_t max_size);
std::string rot13(std::string_view text);
// Text a person could read as code or a name: no NULs, mostly printable.
bool looks_textual(std::string_view s);
// Whitespace collapsed and cut to `max` characters (for evidence).
std::string snippet(std::string_view code, std::size_t max = 120);

}  // namespace hubguard::scan::python
