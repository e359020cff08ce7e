// Text as PostgreSQL accepts it. A UTF8 database rejects invalid UTF-8 and NUL bytes in text
// values, but file names from a mirror are arbitrary bytes: names shown in reports are made
// valid (invalid bytes become U+FFFD), and names used to find files again travel as hex
// (bytea) so they come back exactly.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hubguard::hub {

bool is_valid_utf8(std::string_view s);
// `s` unchanged when valid UTF-8 without NUL; otherwise each bad byte replaced by U+FFFD.
std::string to_valid_utf8(std::string_view s);

std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view hex);

}  // namespace hubguard::hub
