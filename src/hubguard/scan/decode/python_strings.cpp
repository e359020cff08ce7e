#include "hubguard/scan/decode/python_strings.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "hubguard/scan/decode/base_encodings.hpp"

namespace hubguard::scan::decode {
namespace {

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x110000) {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct Value {
  std::string bytes;
  std::vector<std::string> ops;  // transformations applied, in order of first use
  bool is_int = false;
  std::int64_t integer = 0;

  void add_op(std::string_view op) {
    if (std::find(ops.begin(), ops.end(), op) == ops.end()) ops.emplace_back(op);
  }
  void merge_ops(const Value& other) {
    for (const auto& op : other.ops) add_op(op);
  }
};

// A recursive-descent reader of one string expression starting at `pos`. Every method
// returns nullopt (and leaves pos unspecified) when the text is not the expected form.
class Parser {
 public:
  Parser(std::string_view code, const StringScanLimits& limits) : s_(code), limits_(limits) {}

  std::size_t pos = 0;

  std::optional<Value> expression() {
    if (++depth_ > limits_.max_nesting) return fail();
    auto left = postfix();
    while (left) {
      const std::size_t save = pos;
      skip_ws();
      if (!eat('+')) {
        pos = save;
        break;
      }
      skip_ws();
      auto right = postfix();
      if (!right || left->is_int != right->is_int) {
        pos = save;
        break;
      }
      if (left->is_int) {
        left->integer += right->integer;
      } else {
        if (!grow(left->bytes, right->bytes)) return fail();
        left->merge_ops(*right);
        left->add_op("concat");
      }
    }
    --depth_;
    return left;
  }

 private:
  std::optional<Value> fail() {
    --depth_;
    return std::nullopt;
  }

  bool grow(std::string& into, std::string_view more) const {
    if (into.size() + more.size() > limits_.max_value) return false;
    into.append(more);
    return true;
  }

  bool at_end() const { return pos >= s_.size(); }
  char peek(std::size_t ahead = 0) const { return pos + ahead < s_.size() ? s_[pos + ahead] : '\0'; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos;
    return true;
  }
  bool eat_word(std::string_view w) {
    if (s_.substr(pos, w.size()) != w) return false;
    if (ident_char(peek(w.size())) && ident_char(w.back())) return false;
    pos += w.size();
    return true;
  }
  // Whitespace inside brackets may span lines; a backslash continuation too.
  void skip_ws() {
    while (!at_end()) {
      const char c = peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos;
      } else if (c == '\\' && (peek(1) == '\n' || peek(1) == '\r')) {
        pos += 2;
      } else {
        break;
      }
    }
  }

  std::optional<Value> postfix() {
    auto v = primary();
    while (v && !v->is_int) {
      const std::size_t save = pos;
      skip_ws();
      if (s_.substr(pos, 6) == "[::-1]") {
        pos += 6;
        std::reverse(v->bytes.begin(), v->bytes.end());
        v->add_op("reverse");
        continue;
      }
      if (eat('.')) {
        if (eat_word("encode") || eat_word("decode")) {
          if (skip_call_args()) continue;
        }
      }
      pos = save;
      break;
    }
    return v;
  }

  // `( ... )` with any balanced content (codec names, errors=...): ignored.
  bool skip_call_args() {
    skip_ws();
    if (!eat('(')) return false;
    int level = 1;
    while (!at_end() && level > 0) {
      const char c = peek();
      if (c == '\'' || c == '"') {
        if (!literal()) return false;
        continue;
      }
      if (c == '(') ++level;
      if (c == ')') --level;
      ++pos;
    }
    return level == 0;
  }

  std::optional<Value> primary() {
    const char c = peek();
    if (c == '(') {
      const std::size_t save = pos;
      ++pos;
      skip_ws();
      auto v = expression();
      skip_ws();
      if (v && eat(')')) return v;
      pos = save;
      return std::nullopt;
    }
    if (c >= '0' && c <= '9') return integer();
    if (c == '\'' || c == '"') return literal_run();
    if (!ident_char(c)) return std::nullopt;
    // An identifier: a string prefix, or one of the calls we evaluate.
    const std::size_t save = pos;
    if (auto v = literal_run()) return v;
    pos = save;
    if (eat_word("chr")) return chr_call();
    if (eat_word("bytes") || eat_word("bytearray")) {
      const std::size_t after = pos;
      if (eat('.') && eat_word("fromhex")) return fromhex_call();
      pos = after;
      return bytes_call();
    }
    if (eat_word("codecs")) {
      if (eat('.') && eat_word("decode")) return codecs_decode_call();
      return std::nullopt;
    }
    if (eat_word("str")) {  // str().join(...) / str.join(sep, [...]) are rare; `str(x)` passes x
      skip_ws();
      if (eat('(')) {
        skip_ws();
        auto v = expression();
        skip_ws();
        if (v && eat(')')) return v;
      }
      return std::nullopt;
    }
    return std::nullopt;
  }

  std::optional<Value> integer() {
    std::int64_t value = 0;
    int base = 10;
    if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
      base = 16;
      pos += 2;
    } else if (peek() == '0' && (peek(1) == 'o' || peek(1) == 'O')) {
      base = 8;
      pos += 2;
    } else if (peek() == '0' && (peek(1) == 'b' || peek(1) == 'B')) {
      base = 2;
      pos += 2;
    }
    std::size_t digits = 0;
    while (!at_end()) {
      const char c = peek();
      if (c == '_') {
        ++pos;
        continue;
      }
      const int d = hex_digit(c);
      if (d < 0 || d >= base) break;
      if (value > (INT64_MAX >> 5)) return std::nullopt;  // far beyond any code point
      value = value * base + d;
      ++pos;
      ++digits;
    }
    if (digits == 0 || ident_char(peek()) || peek() == '.') return std::nullopt;
    Value v;
    v.is_int = true;
    v.integer = value;
    // `^` and `-` appear in simple arithmetic obfuscation: chr(0x41 ^ 0x20).
    for (;;) {
      const std::size_t save = pos;
      skip_ws();
      const char op = peek();
      if (op != '^' && op != '-') {
        pos = save;
        break;
      }
      ++pos;
      skip_ws();
      auto rhs = integer_atom();
      if (!rhs) {
        pos = save;
        break;
      }
      v.integer = op == '^' ? (v.integer ^ *rhs) : (v.integer - *rhs);
    }
    return v;
  }

  std::optional<std::int64_t> integer_atom() {
    if (!(peek() >= '0' && peek() <= '9')) return std::nullopt;
    std::int64_t value = 0;
    int base = 10;
    if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
      base = 16;
      pos += 2;
    }
    std::size_t digits = 0;
    while (!at_end()) {
      const int d = hex_digit(peek());
      if (d < 0 || d >= base) break;
      if (value > (INT64_MAX >> 5)) return std::nullopt;
      value = value * base + d;
      ++pos;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    return value;
  }

  // One or more adjacent literals (implicit concatenation).
  std::optional<Value> literal_run() {
    const std::size_t escapes_before = numeric_escapes_;
    auto first = literal();
    if (!first) return std::nullopt;
    Value v;
    v.bytes = std::move(*first);
    for (;;) {
      const std::size_t save = pos;
      skip_ws();
      auto next = literal();
      if (!next) {
        pos = save;
        break;
      }
      if (!grow(v.bytes, *next)) return std::nullopt;
      v.add_op("concat");
    }
    // Text spelled mostly as \x.. / \u.. / octal escapes hides words from a plain search.
    if (numeric_escapes_ - escapes_before >= 4) v.add_op("escapes");
    // `sep.join(seq)`
    const std::size_t save = pos;
    if (eat('.') && eat_word("join")) {
      auto joined = join_call(v.bytes);
      if (joined) return joined;
    }
    pos = save;
    return v;
  }

 public:
  // A single literal with its prefix; returns its value with escapes resolved.
  std::optional<std::string> literal() {
    std::size_t p = pos;
    bool raw = false, bytes = false;
    while (p < s_.size() && p - pos < 3 && ident_char(s_[p])) {
      const char c = static_cast<char>(s_[p] | 0x20);
      if (c == 'r') raw = true;
      else if (c == 'b') bytes = true;
      else if (c != 'u' && c != 'f') return std::nullopt;
      ++p;
    }
    if (p >= s_.size() || (s_[p] != '\'' && s_[p] != '"')) return std::nullopt;
    const char q = s_[p];
    const bool triple = p + 2 < s_.size() && s_[p + 1] == q && s_[p + 2] == q;
    p += triple ? 3 : 1;
    std::string out;
    while (p < s_.size()) {
      const char c = s_[p];
      if (c == q && (!triple || (p + 2 < s_.size() && s_[p + 1] == q && s_[p + 2] == q))) {
        pos = p + (triple ? 3 : 1);
        return out;
      }
      if (!triple && c == '\n') return std::nullopt;
      if (out.size() >= limits_.max_value) return std::nullopt;
      if (c == '\\' && p + 1 < s_.size()) {
        if (raw) {  // raw strings keep the backslash but it still protects a quote
          out.push_back(c);
          out.push_back(s_[p + 1]);
          p += 2;
          continue;
        }
        p = escape(p + 1, bytes, out);
        continue;
      }
      out.push_back(c);
      ++p;
    }
    return std::nullopt;  // unterminated
  }

 private:
  // Resolves the escape whose letter is at s_[p]; returns the position after it.
  std::size_t escape(std::size_t p, bool bytes, std::string& out) {
    const char e = s_[p];
    if (e == 'x' || e == 'u' || e == 'U' || (e >= '0' && e <= '7')) ++numeric_escapes_;
    switch (e) {
      case '\n': return p + 1;
      case '\\': out.push_back('\\'); return p + 1;
      case '\'': out.push_back('\''); return p + 1;
      case '"': out.push_back('"'); return p + 1;
      case 'n': out.push_back('\n'); return p + 1;
      case 't': out.push_back('\t'); return p + 1;
      case 'r': out.push_back('\r'); return p + 1;
      case 'a': out.push_back('\a'); return p + 1;
      case 'b': out.push_back('\b'); return p + 1;
      case 'f': out.push_back('\f'); return p + 1;
      case 'v': out.push_back('\v'); return p + 1;
      case 'x': {
        const int h = p + 1 < s_.size() ? hex_digit(s_[p + 1]) : -1;
        const int l = p + 2 < s_.size() ? hex_digit(s_[p + 2]) : -1;
        if (h < 0 || l < 0) break;
        const auto value = static_cast<std::uint32_t>(h * 16 + l);
        if (bytes) out.push_back(static_cast<char>(value));
        else append_utf8(out, value);
        return p + 3;
      }
      case 'u':
      case 'U': {
        if (bytes) break;
        const std::size_t n = e == 'u' ? 4 : 8;
        std::uint32_t cp = 0;
        for (std::size_t i = 1; i <= n; ++i) {
          const int d = p + i < s_.size() ? hex_digit(s_[p + i]) : -1;
          if (d < 0) {
            out.push_back('\\');
            return p;
          }
          cp = cp * 16 + static_cast<std::uint32_t>(d);
        }
        append_utf8(out, cp);
        return p + 1 + n;
      }
      default:
        if (e >= '0' && e <= '7') {
          std::uint32_t value = 0;
          std::size_t i = 0;
          for (; i < 3 && p + i < s_.size() && s_[p + i] >= '0' && s_[p + i] <= '7'; ++i)
            value = value * 8 + static_cast<std::uint32_t>(s_[p + i] - '0');
          if (bytes) out.push_back(static_cast<char>(value & 0xff));
          else append_utf8(out, value);
          return p + i;
        }
        break;
    }
    out.push_back('\\');  // unknown escapes keep their backslash, as Python does
    return p;
  }

  std::optional<Value> chr_call() {
    skip_ws();
    if (!eat('(')) return std::nullopt;
    skip_ws();
    auto n = integer();
    skip_ws();
    if (!n || !n->is_int || !eat(')') || n->integer < 0 || n->integer > 0x10ffff)
      return std::nullopt;
    Value v;
    append_utf8(v.bytes, static_cast<std::uint32_t>(n->integer));
    v.add_op("chr");
    return v;
  }

  // `[1, 2, 3]` or `(1, 2, 3)` of integers.
  std::optional<std::vector<std::int64_t>> int_sequence() {
    skip_ws();
    const char open = peek();
    if (open != '[' && open != '(') return std::nullopt;
    const char close = open == '[' ? ']' : ')';
    ++pos;
    std::vector<std::int64_t> values;
    for (;;) {
      skip_ws();
      if (eat(close)) return values;
      auto n = integer();
      if (!n || !n->is_int) return std::nullopt;
      if (values.size() >= limits_.max_value) return std::nullopt;
      values.push_back(n->integer);
      skip_ws();
      if (eat(',')) continue;
      skip_ws();
      if (eat(close)) return values;
      return std::nullopt;
    }
  }

  std::optional<Value> chars_from(const std::vector<std::int64_t>& codes, bool as_bytes) {
    Value v;
    for (auto c : codes) {
      if (c < 0 || c > (as_bytes ? 0xff : 0x10ffff)) return std::nullopt;
      if (as_bytes) v.bytes.push_back(static_cast<char>(c));
      else append_utf8(v.bytes, static_cast<std::uint32_t>(c));
    }
    return v;
  }

  std::optional<Value> bytes_call() {
    skip_ws();
    if (!eat('(')) return std::nullopt;
    auto codes = int_sequence();
    skip_ws();
    if (!codes || !eat(')')) return std::nullopt;
    auto v = chars_from(*codes, true);
    if (v) v->add_op("bytes-list");
    return v;
  }

  std::optional<Value> fromhex_call() {
    skip_ws();
    if (!eat('(')) return std::nullopt;
    skip_ws();
    auto arg = expression();
    skip_ws();
    if (!arg || arg->is_int || !eat(')')) return std::nullopt;
    auto decoded = base16_decode(arg->bytes);
    if (!decoded) return std::nullopt;
    Value v;
    v.bytes = std::move(*decoded);
    v.merge_ops(*arg);
    v.add_op("fromhex");
    return v;
  }

  std::optional<Value> codecs_decode_call() {
    skip_ws();
    if (!eat('(')) return std::nullopt;
    skip_ws();
    auto arg = expression();
    skip_ws();
    if (!arg || arg->is_int || !eat(',')) return std::nullopt;
    skip_ws();
    auto codec = literal();
    skip_ws();
    if (!codec || !eat(')')) return std::nullopt;
    std::string name = *codec;
    for (char& c : name) c = static_cast<char>(c | 0x20);
    Value v;
    v.merge_ops(*arg);
    if (name == "rot13" || name == "rot_13" || name == "rot-13") {
      v.bytes = rot13(arg->bytes);
      v.add_op("rot13");
    } else if (name == "hex" || name == "hex_codec") {
      auto d = base16_decode(arg->bytes);
      if (!d) return std::nullopt;
      v.bytes = std::move(*d);
      v.add_op("hex");
    } else if (name == "base64" || name == "base64_codec") {
      auto d = base64_decode(arg->bytes);
      if (!d) return std::nullopt;
      v.bytes = std::move(*d);
      v.add_op("base64");
    } else {
      return std::nullopt;
    }
    return v;
  }

  // After `sep.join`: `([...])`, `((...))`, `(map(chr, [...]))`, `(chr(c) for c in [...])`,
  // `([chr(c) for c in [...]])`.
  std::optional<Value> join_call(const std::string& sep) {
    skip_ws();
    if (!eat('(')) return std::nullopt;
    skip_ws();
    std::optional<Value> joined;
    const std::size_t start = pos;
    if (eat_word("map")) {
      skip_ws();
      if (eat('(')) {
        skip_ws();
        if (eat_word("chr")) {
          skip_ws();
          if (eat(',')) {
            auto codes = int_sequence();
            skip_ws();
            if (codes && eat(')')) joined = join_chars(*codes, sep);
          }
        }
      }
    }
    if (!joined) {
      pos = start;
      joined = chr_comprehension(sep, false);
    }
    if (!joined) {
      pos = start;
      if (eat('[')) {
        skip_ws();
        joined = chr_comprehension(sep, true);
      }
    }
    if (!joined) {
      pos = start;
      joined = joined_list(sep);
    }
    skip_ws();
    if (!joined || !eat(')')) return std::nullopt;
    joined->add_op("join");
    return joined;
  }

  std::optional<Value> join_chars(const std::vector<std::int64_t>& codes, const std::string& sep) {
    Value v;
    for (std::size_t i = 0; i < codes.size(); ++i) {
      if (codes[i] < 0 || codes[i] > 0x10ffff) return std::nullopt;
      if (i > 0 && !grow(v.bytes, sep)) return std::nullopt;
      append_utf8(v.bytes, static_cast<std::uint32_t>(codes[i]));
    }
    v.add_op("chr");
    return v;
  }

  // `chr(x) for x in [..]`, optionally closed by `]` when inside a list comprehension.
  std::optional<Value> chr_comprehension(const std::string& sep, bool bracketed) {
    if (!eat_word("chr")) return std::nullopt;
    skip_ws();
    if (!eat('(')) return std::nullopt;
    skip_ws();
    const std::size_t name_start = pos;
    while (ident_char(peek())) ++pos;
    if (pos == name_start) return std::nullopt;
    skip_ws();
    if (!eat(')')) return std::nullopt;
    skip_ws();
    if (!eat_word("for")) return std::nullopt;
    skip_ws();
    while (ident_char(peek())) ++pos;
    skip_ws();
    if (!eat_word("in")) return std::nullopt;
    auto codes = int_sequence();
    if (!codes) return std::nullopt;
    if (bracketed) {
      skip_ws();
      if (!eat(']')) return std::nullopt;
    }
    return join_chars(*codes, sep);
  }

  std::optional<Value> joined_list(const std::string& sep) {
    const char open = peek();
    if (open != '[' && open != '(') return std::nullopt;
    const char close = open == '[' ? ']' : ')';
    ++pos;
    Value v;
    bool first = true;
    for (;;) {
      skip_ws();
      if (eat(close)) return v;
      auto item = expression();
      if (!item || item->is_int) return std::nullopt;
      if (!first && !grow(v.bytes, sep)) return std::nullopt;
      if (!grow(v.bytes, item->bytes)) return std::nullopt;
      v.merge_ops(*item);
      first = false;
      skip_ws();
      if (eat(',')) continue;
      skip_ws();
      if (eat(close)) return v;
      return std::nullopt;
    }
  }

  std::string_view s_;
  const StringScanLimits& limits_;
  unsigned depth_ = 0;
  std::size_t numeric_escapes_ = 0;
};

}  // namespace

std::vector<StringExpression> find_string_expressions(std::string_view code,
                                                      const StringScanLimits& limits) {
  std::vector<StringExpression> found;
  std::size_t i = 0;
  while (i < code.size() && found.size() < limits.max_expressions) {
    const char c = code[i];
    if (c == '#') {  // a comment runs to the end of the line
      while (i < code.size() && code[i] != '\n') ++i;
      continue;
    }
    const bool word_start = ident_char(c) && (i == 0 || (!ident_char(code[i - 1]) && code[i - 1] != '.'));
    if (c == '\'' || c == '"' || c == '(' || word_start) {
      Parser p(code, limits);
      p.pos = i;
      auto v = p.expression();
      if (v && !v->is_int && p.pos > i) {
        StringExpression e;
        e.begin = i;
        e.end = p.pos;
        e.value = std::move(v->bytes);
        if (v->ops.empty()) {
          e.how = "literal";
        } else {
          for (const auto& op : v->ops) e.how += (e.how.empty() ? "" : "+") + op;
        }
        found.push_back(std::move(e));
        i = p.pos;
        continue;
      }
      if (c == '\'' || c == '"') {
        // An unterminated or unparsable quote: skip the literal as a literal if possible so
        // its contents are not mistaken for code.
        Parser lit(code, limits);
        lit.pos = i;
        if (lit.literal()) {
          i = lit.pos;
          continue;
        }
      }
      if (word_start) {
        while (i < code.size() && ident_char(code[i])) ++i;
        continue;
      }
    }
    ++i;
  }
  return found;
}

}  // namespace hubguard::scan::decode
