#include "hubguard/scan/pickle/text_decode.hpp"

#include <cctype>

namespace hubguard::scan::pickle {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    if (cp > 0x10FFFF) cp = 0xFFFD;
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_latin1(std::string& out, unsigned char c) { append_utf8(out, c); }

}  // namespace

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

std::string latin1_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) append_latin1(out, c);
  return out;
}

bool decode_quoted_string(std::string_view line, std::string& out) {
  if (line.size() < 2 || line.front() != line.back() || (line.front() != '\'' && line.front() != '"'))
    return false;
  std::string_view s = line.substr(1, line.size() - 2);
  out.clear();
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c != '\\' || i + 1 >= s.size()) {
      append_latin1(out, c);
      continue;
    }
    char e = s[++i];
    switch (e) {
      case '\n': break;  // line continuation
      case '\\': out.push_back('\\'); break;
      case '\'': out.push_back('\''); break;
      case '"': out.push_back('"'); break;
      case 'a': out.push_back('\a'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'v': out.push_back('\v'); break;
      case 'x': {
        int h1 = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
        int h2 = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
        if (h1 < 0 || h2 < 0) return false;  // Python raises "invalid \x escape"
        append_latin1(out, static_cast<unsigned char>(h1 * 16 + h2));
        i += 2;
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          unsigned v = static_cast<unsigned>(e - '0');
          for (int k = 0; k < 2 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7'; ++k)
            v = v * 8 + static_cast<unsigned>(s[++i] - '0');
          append_latin1(out, static_cast<unsigned char>(v & 0xFF));
        } else {
          out.push_back('\\');  // unknown escapes are kept as written
          append_latin1(out, static_cast<unsigned char>(e));
        }
    }
  }
  return true;
}

bool decode_raw_unicode_escape(std::string_view s, std::string& out) {
  out.clear();
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == 'u' || s[i + 1] == 'U')) {
      // An odd run of backslashes escapes; raw-unicode-escape only looks at the one before u.
      std::size_t digits = s[i + 1] == 'u' ? 4 : 8;
      if (i + 2 + digits > s.size()) return false;
      std::uint32_t cp = 0;
      for (std::size_t k = 0; k < digits; ++k) {
        int h = hex_value(s[i + 2 + k]);
        if (h < 0) return false;
        cp = cp * 16 + static_cast<std::uint32_t>(h);
      }
      if (cp > 0x10FFFF) return false;
      append_utf8(out, cp);
      i += 1 + digits;
      continue;
    }
    append_latin1(out, c);
  }
  return true;
}

std::optional<std::int64_t> parse_python_int(std::string_view t) {
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  bool negative = false;
  if (!t.empty() && (t.front() == '+' || t.front() == '-')) {
    negative = t.front() == '-';
    t.remove_prefix(1);
  }
  unsigned base = 10;
  if (t.size() >= 2 && t[0] == '0') {
    char p = static_cast<char>(std::tolower(static_cast<unsigned char>(t[1])));
    if (p == 'x') base = 16;
    if (p == 'o') base = 8;
    if (p == 'b') base = 2;
    if (base != 10) t.remove_prefix(2);
  }
  if (t.empty()) return std::nullopt;
  std::uint64_t v = 0;
  constexpr std::uint64_t kMax = 1ULL << 63;  // |INT64_MIN|
  bool any = false;
  char prev = '_';
  for (char c : t) {
    if (c == '_') {
      if (prev == '_' && any) return std::nullopt;
      prev = c;
      continue;
    }
    int d = hex_value(c);
    if (d < 0 || static_cast<unsigned>(d) >= base) return std::nullopt;
    if (v > (kMax - static_cast<unsigned>(d)) / base) return std::nullopt;
    v = v * base + static_cast<unsigned>(d);
    any = true;
    prev = c;
  }
  if (!any || prev == '_') return std::nullopt;
  if (negative) return v == kMax ? INT64_MIN : -static_cast<std::int64_t>(v);
  if (v == kMax) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

}  // namespace hubguard::scan::pickle
