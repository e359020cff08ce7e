// Decoders for the text arguments of protocol 0 opcodes. The loader decodes STRING with
// Python's escape rules and UNICODE with raw-unicode-escape; we must read the same text it
// reads, or an escaped "\x6fs" would hide "os" from the policy. Output is UTF-8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hubguard::scan::pickle {

void append_utf8(std::string& out, std::uint32_t code_point);

// STRING argument: must be quoted with matching ' or "; escapes as in Python's
// codecs.escape_decode. Bytes >= 0x80 are taken as Latin-1. False when not quoted.
bool decode_quoted_string(std::string_view line, std::string& out);

// UNICODE argument: raw-unicode-escape (only \uXXXX and \UXXXXXXXX are escapes; every other
// byte is a Latin-1 code point). False on a malformed escape.
bool decode_raw_unicode_escape(std::string_view line, std::string& out);

// Latin-1 bytes to UTF-8 (BINSTRING payloads read with encoding="latin1").
std::string latin1_to_utf8(std::string_view bytes);
bool is_ascii(std::string_view s);

// Integer text as Python's int(text, 0) reads it (sign, 0x/0o/0b, underscores, spaces
// around). nullopt when malformed or outside int64.
std::optional<std::int64_t> parse_python_int(std::string_view text);

}  // namespace hubguard::scan::pickle
