// Text-to-bytes codecs that obfuscated payloads hide behind: base64 (standard and URL-safe,
// padded or not, with embedded whitespace as Python's b64decode tolerates after
// decodebytes), base32, base16/hex, and rot13. Each decoder is strict about its alphabet and
// returns nullopt instead of guessing, because callers try every decoder on every candidate
// blob and keep only what decodes cleanly into something meaningful.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hubguard::scan::decode {

enum class Base64Alphabet { standard, urlsafe, either };

// Whitespace is skipped; missing padding is accepted; any other foreign character fails.
std::optional<std::string> base64_decode(std::string_view text,
                                         Base64Alphabet alphabet = Base64Alphabet::either);
// RFC 4648 base32 (upper or lower case), padding optional.
std::optional<std::string> base32_decode(std::string_view text);
// Hex digits, optionally separated by whitespace (bytes.fromhex tolerates spaces); an odd
// digit count fails.
std::optional<std::string> base16_decode(std::string_view text);
std::string rot13(std::string_view text);

}  // namespace hubguard::scan::decode
