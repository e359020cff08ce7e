#include "hubguard/scan/python/string_fold.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace hubguard::scan::python {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x110000) {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string decode_string_escapes(std::string_view body, bool raw, std::size_t max_size) {
  std::string out;
  out.reserve(std::min(body.size(), max_size));
  for (std::size_t i = 0; i < body.size() && out.size() < max_size; ++i) {
    char c = body[i];
    if (c != '\\' || raw || i + 1 >= body.size()) {
      out += c;
      continue;
    }
    char e = body[++i];
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '\'':
        out += '\'';
        break;
      case '"':
        out += '"';
        break;
      case '\n':
        break;  // line continuation
      case 'x': {
        int hi = i + 1 < body.size() ? hex_digit(body[i + 1]) : -1;
        int lo = i + 2 < body.size() ? hex_digit(body[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
          out += "\\x";
          break;
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        std::size_t n = e == 'u' ? 4 : 8;
        std::uint32_t cp = 0;
        bool ok = true;
        for (std::size_t k = 1; ok && k <= n; ++k) {
          if (i + k >= body.size()) {
            ok = false;
            break;
          }
          int d = hex_digit(body[i + k]);
          if (d < 0)
            ok = false;
          else
            cp = cp * 16 + static_cast<std::uint32_t>(d);
        }
        if (!ok) {
          out += '\\';
          out += e;
          break;
        }
        append_utf8(out, cp);
        i += n;
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          int v = e - '0';
          for (int k = 0; k < 2 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7';
               ++k)
            v = v * 8 + (body[++i] - '0');
          out += static_cast<char>(v & 0xFF);
        } else {
          out += '\\';
          out += e;
        }
    }
  }
  return out;
}

std::optional<long long> parse_int_literal(std::string_view text) {
  std::string digits;
  for (char c : text)
    if (c != '_') digits += c;
  if (digits.empty() || digits.size() > 40) return std::nullopt;
  int base = 10;
  std::size_t start = 0;
  if (digits.size() > 2 && digits[0] == '0') {
    char b = static_cast<char>(std::tolower(static_cast<unsigned char>(digits[1])));
    if (b == 'x')
      base = 16;
    else if (b == 'o')
      base = 8;
    else if (b == 'b')
      base = 2;
    if (base != 10) start = 2;
  }
  unsigned long long v = 0;
  for (std::size_t i = start; i < digits.size(); ++i) {
    int d = hex_digit(digits[i]);
    if (d < 0 || d >= base) return std::nullopt;
    if (v > (~0ULL >> 5)) return std::nullopt;  // too big to matter
    v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
  }
  return static_cast<long long>(v);
}

std::optional<std::string> base64_decode(std::string_view text, std::size_t max_size) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else if (c == '=')
      break;
    else if (std::isspace(static_cast<unsigned char>(c)))
      continue;
    else
      return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
      if (out.size() > max_size) return std::nullopt;
    }
  }
  return out;
}

std::optional<std::string> base32_decode(std::string_view text, std::size_t max_size) {
  std::string out;
  std::uint64_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= '2' && c <= '7')
      v = c - '2' + 26;
    else if (c == '=')
      break;
    else if (std::isspace(static_cast<unsigned char>(c)))
      continue;
    else
      return std::nullopt;
    acc = (acc << 5) | static_cast<std::uint64_t>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
      if (out.size() > max_size) return std::nullopt;
    }
  }
  return out;
}

std::optional<std::string> hex_decode(std::string_view text, std::size_t max_size) {
  std::string out;
  int pending = -1;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    int d = hex_digit(c);
    if (d < 0) return std::nullopt;
    if (pending < 0) {
      pending = d;
    } else {
      out += static_cast<char>(pending * 16 + d);
      pending = -1;
      if (out.size() > max_size) return std::nullopt;
    }
  }
  if (pending >= 0) return std::nullopt;
  return out;
}

std::string rot13(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>('a' + (c - 'a' + 13) % 26);
    else if (c >= 'A' && c <= 'Z')
      c = static_cast<char>('A' + (c - 'A' + 13) % 26);
  }
  return out;
}

bool looks_textual(std::string_view s) {
  if (s.empty()) return false;
  std::size_t printable = 0;
  for (unsigned char c : s) {
    if (c == 0) return false;
    if (c >= 0x20 || c == '\n' || c == '\r' || c == '\t') ++printable;
  }
  return printable * 100 >= s.size() * 95;
}

std::string snippet(std::string_view code, std::size_t max) {
  std::string out;
  bool space = false;
  for (char c : code) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() >= max) {
      out += "...";
      break;
    }
  }
  return out;
}

}  // namespace hubguard::scan::python
