#include "hubguard/scan/decode/base_encodings.hpp"

#include <array>
#include <cstdint>

namespace hubguard::scan::decode {
namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v'; }

// -1 = not in the alphabet.
int base64_value(char c, Base64Alphabet alphabet) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  const bool std_ok = alphabet != Base64Alphabet::urlsafe;
  const bool url_ok = alphabet != Base64Alphabet::standard;
  if ((c == '+' && std_ok) || (c == '-' && url_ok)) return 62;
  if ((c == '/' && std_ok) || (c == '_' && url_ok)) return 63;
  return -1;
}

int base32_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

namespace {

// The loop base64 and base32 share: whitespace skipped, '=' padding only at the end, each
// symbol worth `bits_per_symbol` bits, bytes emitted as they fill. `symbols` counts the data
// symbols so the caller can reject impossible tails.
template <class SymbolValue>
std::optional<std::string> decode_radix(std::string_view text, int bits_per_symbol,
                                        std::size_t reserve, SymbolValue value,
                                        std::size_t& symbols) {
  std::string out;
  out.reserve(reserve);
  std::uint64_t acc = 0;
  int bits = 0;
  symbols = 0;
  bool padding_seen = false;
  for (char c : text) {
    if (is_space(c)) continue;
    if (c == '=') {
      padding_seen = true;
      continue;
    }
    if (padding_seen) return std::nullopt;  // data after padding: not one encoded value
    const int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << bits_per_symbol) | static_cast<std::uint64_t>(v);
    bits += bits_per_symbol;
    ++symbols;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text, Base64Alphabet alphabet) {
  std::size_t symbols = 0;
  auto out = decode_radix(text, 6, text.size() * 3 / 4,
                          [&](char c) { return base64_value(c, alphabet); }, symbols);
  // A lone trailing symbol carries fewer than 8 bits: Python rejects it, and so do we.
  if (!out || symbols % 4 == 1) return std::nullopt;
  return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
  std::size_t symbols = 0;
  auto out = decode_radix(text, 5, text.size() * 5 / 8, base32_value, symbols);
  // Valid base32 groups end after 2, 4, 5, 7 or 8 symbols.
  const std::size_t tail = symbols % 8;
  if (!out || tail == 1 || tail == 3 || tail == 6) return std::nullopt;
  return out;
}

std::optional<std::string> base16_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 2);
  int high = -1;
  for (char c : text) {
    if (is_space(c)) {
      if (high >= 0) return std::nullopt;  // a space inside a byte
      continue;
    }
    const int v = hex_value(c);
    if (v < 0) return std::nullopt;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<char>((high << 4) | v));
      high = -1;
    }
  }
  if (high >= 0) return std::nullopt;
  return out;
}

std::string rot13(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>('a' + (c - 'a' + 13) % 26);
    else if (c >= 'A' && c <= 'Z') c = static_cast<char>('A' + (c - 'A' + 13) % 26);
  }
  return out;
}

}  // namespace hubguard::scan::decode
