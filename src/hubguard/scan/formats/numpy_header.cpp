#include "hubguard/scan/formats/numpy_header.hpp"

#include <memory>
#include <utility>
#include <variant>

#include "hubguard/core/byte_reader.hpp"

namespace hubguard::scan {
namespace {

constexpr int kMaxDepth = 32;
constexpr std::size_t kMaxItems = 100'000;

struct Value;
using List = std::vector<Value>;
using Dict = std::vector<std::pair<std::string, Value>>;
struct None {};
struct Value {
  // bool, integer, string, None, list/tuple, dict
  std::variant<bool, std::int64_t, std::string, None, List, Dict> v;
};

// A recursive-descent parser for the Python literal subset NumPy writes.
class LiteralParser {
 public:
  explicit LiteralParser(std::string_view s) : s_(s) {}

  Result<Value> parse_all() {
    auto v = parse(0);
    if (!v) return v;
    skip_space();
    if (pos_ != s_.size()) return make_error("unexpected text after the header dict");
    return v;
  }

 private:
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool eat(char c) {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }

  Result<Value> parse(int depth) {
    if (depth > kMaxDepth) return make_error("header nested too deeply");
    skip_space();
    if (pos_ >= s_.size()) return make_error("header ends early");
    const char c = s_[pos_];
    if (c == '\'' || c == '"') {
      auto str = parse_string();
      if (!str) return str.error();
      return Value{std::move(*str)};
    }
    if (c == '{') return parse_dict(depth);
    if (c == '[' || c == '(') return parse_seq(depth, c == '[' ? ']' : ')');
    if (word("True")) return Value{true};
    if (word("False")) return Value{false};
    if (word("None")) return Value{None{}};
    if (c == '-' || (c >= '0' && c <= '9')) return parse_int();
    return make_error(std::string("unexpected character '") + c + "' in header");
  }

  Result<std::string> parse_string() {
    const char quote = s_[pos_++];
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != quote) {
      if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
      out += s_[pos_++];
    }
    if (pos_ >= s_.size()) return make_error("unterminated string in header");
    ++pos_;
    return out;
  }

  Result<Value> parse_int() {
    bool neg = s_[pos_] == '-';
    if (neg) ++pos_;
    std::int64_t v = 0;
    std::size_t digits = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      if (v > (INT64_MAX - 9) / 10) return make_error("integer too large in header");
      v = v * 10 + (s_[pos_++] - '0');
      ++digits;
    }
    if (pos_ < s_.size() && s_[pos_] == 'L') ++pos_;  // Python 2 longs
    if (digits == 0) return make_error("bad integer in header");
    return Value{neg ? -v : v};
  }

  Result<Value> parse_seq(int depth, char close) {
    ++pos_;
    List items;
    for (;;) {
      if (eat(close)) break;
      if (items.size() >= kMaxItems) return make_error("too many items in header");
      auto v = parse(depth + 1);
      if (!v) return v;
      items.push_back(std::move(*v));
      if (eat(',')) continue;
      if (eat(close)) break;
      return make_error("expected ',' or closing bracket in header");
    }
    return Value{std::move(items)};
  }

  Result<Value> parse_dict(int depth) {
    ++pos_;
    Dict items;
    for (;;) {
      if (eat('}')) break;
      if (items.size() >= kMaxItems) return make_error("too many keys in header");
      skip_space();
      if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"'))
        return make_error("header dict key is not a string");
      auto key = parse_string();
      if (!key) return key.error();
      if (!eat(':')) return make_error("expected ':' in header dict");
      auto v = parse(depth + 1);
      if (!v) return v;
      items.emplace_back(std::move(*key), std::move(*v));
      if (eat(',')) continue;
      if (eat('}')) break;
      return make_error("expected ',' or '}' in header dict");
    }
    return Value{std::move(items)};
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

const Value* find(const Dict& d, std::string_view key) {
  for (const auto& [k, v] : d)
    if (k == key) return &v;
  return nullptr;
}

std::optional<std::uint64_t> mul(std::optional<std::uint64_t> a, std::uint64_t b) {
  if (!a) return std::nullopt;
  if (b != 0 && *a > UINT64_MAX / b) return std::nullopt;
  return *a * b;
}

struct DtypeInfo {
  bool has_object = false;
  std::optional<std::uint64_t> itemsize;
};

// A simple dtype string: [byte order] type char [size] [unit], e.g. '<f4', '|O', '<U10'.
Result<DtypeInfo> simple_dtype(const std::string& s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '<' || s[i] == '>' || s[i] == '|' || s[i] == '=')) ++i;
  if (i >= s.size()) return make_error("empty dtype '" + s + "'");
  const char type = s[i++];
  std::uint64_t n = 0;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 12) {
    n = n * 10 + static_cast<std::uint64_t>(s[i++] - '0');
    ++digits;
  }
  DtypeInfo info;
  if (type == 'O') {
    info.has_object = true;
    info.itemsize = 8;
    return info;
  }
  if (digits > 0) info.itemsize = type == 'U' ? n * 4 : n;
  else if (type == '?' || type == 'b' || type == 'B') info.itemsize = 1;
  return info;
}

Result<DtypeInfo> dtype_of(const Value& v, int depth) {
  if (depth > kMaxDepth) return make_error("dtype nested too deeply");
  if (const auto* s = std::get_if<std::string>(&v.v)) return simple_dtype(*s);
  const auto* fields = std::get_if<List>(&v.v);
  if (fields == nullptr) return make_error("descr is neither a string nor a list of fields");
  DtypeInfo info;
  info.itemsize = 0;
  for (const Value& f : *fields) {
    const auto* parts = std::get_if<List>(&f.v);
    if (parts == nullptr || parts->size() < 2) return make_error("malformed structured dtype field");
    auto sub = dtype_of((*parts)[1], depth + 1);
    if (!sub) return sub;
    info.has_object = info.has_object || sub->has_object;
    std::optional<std::uint64_t> size = sub->itemsize;
    if (parts->size() >= 3) {
      if (const auto* shape = std::get_if<List>(&(*parts)[2].v)) {
        for (const Value& d : *shape) {
          const auto* n = std::get_if<std::int64_t>(&d.v);
          size = (n != nullptr && *n >= 0) ? mul(size, static_cast<std::uint64_t>(*n)) : std::nullopt;
        }
      } else if (const auto* n = std::get_if<std::int64_t>(&(*parts)[2].v)) {
        size = *n >= 0 ? mul(size, static_cast<std::uint64_t>(*n)) : std::nullopt;
      }
    }
    if (info.itemsize && size && *info.itemsize <= UINT64_MAX - *size)
      info.itemsize = *info.itemsize + *size;
    else
      info.itemsize = std::nullopt;
  }
  return info;
}

std::string render_descr(const Value& v, int depth = 0) {
  if (depth > 8) return "...";
  if (const auto* s = std::get_if<std::string>(&v.v)) return "'" + *s + "'";
  if (const auto* l = std::get_if<List>(&v.v)) {
    std::string out = "[";
    for (std::size_t i = 0; i < l->size() && out.size() < 512; ++i) {
      if (i > 0) out += ", ";
      out += render_descr((*l)[i], depth + 1);
    }
    return out + "]";
  }
  if (const auto* n = std::get_if<std::int64_t>(&v.v)) return std::to_string(*n);
  return "?";
}

}  // namespace

std::optional<std::uint64_t> NpyHeader::payload_size() const {
  std::optional<std::uint64_t> n = itemsize;
  for (std::uint64_t d : shape) n = mul(n, d);
  return n;
}

Result<NpyHeader> parse_npy_header(Bytes file) {
  if (!has_npy_magic(file)) return make_error("not a .npy file");
  ByteReader r(file, 6);
  NpyHeader h;
  h.major = *r.u8();
  h.minor = *r.u8();
  std::uint64_t len = 0;
  if (h.major == 1) {
    auto l = r.u16le();
    if (!l) return make_error("header length missing");
    len = *l;
  } else if (h.major == 2 || h.major == 3) {
    auto l = r.u32le();
    if (!l) return make_error("header length missing");
    len = *l;
  } else {
    return make_error("unknown .npy version " + std::to_string(h.major) + "." + std::to_string(h.minor));
  }
  if (len > kMaxNpyHeader) return make_error("header length " + std::to_string(len) + " is implausibly large");
  auto text = r.text(static_cast<std::size_t>(len));
  if (!text) return make_error("header runs past the end of the file");
  h.data_offset = r.offset();

  auto parsed = LiteralParser(*text).parse_all();
  if (!parsed) return make_error("header: " + parsed.error().message);
  const auto* dict = std::get_if<Dict>(&parsed->v);
  if (dict == nullptr) return make_error("header is not a dict");
  const Value* descr = find(*dict, "descr");
  const Value* order = find(*dict, "fortran_order");
  const Value* shape = find(*dict, "shape");
  if (descr == nullptr || order == nullptr || shape == nullptr)
    return make_error("header lacks descr, fortran_order or shape");
  auto dtype = dtype_of(*descr, 0);
  if (!dtype) return make_error("header: " + dtype.error().message);
  h.has_object = dtype->has_object;
  h.itemsize = dtype->itemsize;
  h.descr = render_descr(*descr);
  const auto* fo = std::get_if<bool>(&order->v);
  if (fo == nullptr) return make_error("fortran_order is not a boolean");
  h.fortran_order = *fo;
  const auto* dims = std::get_if<List>(&shape->v);
  if (dims == nullptr) return make_error("shape is not a tuple");
  for (const Value& d : *dims) {
    const auto* n = std::get_if<std::int64_t>(&d.v);
    if (n == nullptr || *n < 0) return make_error("shape holds something other than a non-negative int");
    h.shape.push_back(static_cast<std::uint64_t>(*n));
  }
  return h;
}

}  // namespace hubguard::scan
