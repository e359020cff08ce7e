#include "hubguard/scan/python/marshal_reader.hpp"

#include <cmath>
#include <cstring>
#include <map>
#include <set>

namespace hubguard::scan::python {
namespace {

using Kind = MarshalValue::Kind;
constexpr std::uint8_t kFlagRef = 0x80;

// Thrown only inside this file and caught at the API edge: a marshal stream is one deep
// recursive structure, and unwinding it with error returns at every level would bury the
// format in plumbing. Nothing escapes read_marshal().
struct ParseError {
  std::string message;
};

[[noreturn]] void fail(std::string message) { throw ParseError{std::move(message)}; }

class Reader {
 public:
  Reader(Bytes data, const MarshalLimits& limits) : d_(data), limits_(limits) {}

  MarshalDocument run() {
    MarshalDocument doc;
    doc.root = object(0);
    doc.consumed = pos_;
    doc.has_code = layout_known_;
    doc.layout = layout_;
    return doc;
  }

 private:
  std::uint8_t byte() {
    if (pos_ >= d_.size()) fail("truncated at offset " + std::to_string(pos_));
    return d_[pos_++];
  }
  std::int32_t int32() {
    if (d_.size() - pos_ < 4) fail("truncated at offset " + std::to_string(pos_));
    std::uint32_t v = static_cast<std::uint32_t>(d_[pos_]) | static_cast<std::uint32_t>(d_[pos_ + 1]) << 8 |
                      static_cast<std::uint32_t>(d_[pos_ + 2]) << 16 | static_cast<std::uint32_t>(d_[pos_ + 3]) << 24;
    pos_ += 4;
    return static_cast<std::int32_t>(v);
  }
  std::string raw(std::uint64_t n) {
    if (n > limits_.max_string) fail("string of " + std::to_string(n) + " bytes exceeds the limit");
    if (d_.size() - pos_ < n) fail("truncated string at offset " + std::to_string(pos_));
    std::string s(reinterpret_cast<const char*>(d_.data() + pos_), static_cast<std::size_t>(n));
    pos_ += n;
    return s;
  }
  // A count that must be backed by at least `min_bytes_each` bytes per element.
  std::uint64_t count(std::int64_t n, std::uint64_t min_bytes_each) {
    if (n < 0) fail("negative size at offset " + std::to_string(pos_));
    const auto un = static_cast<std::uint64_t>(n);
    if (min_bytes_each > 0 && un > (d_.size() - pos_) / min_bytes_each)
      fail("size " + std::to_string(n) + " larger than the data left");
    return un;
  }

  // Reserve a FLAG_REF slot before reading the object's contents (CPython numbers refs in
  // the order their type bytes appear).
  std::size_t reserve_ref() {
    if (refs_.size() >= limits_.max_refs) fail("too many back-references");
    refs_.push_back(nullptr);
    return refs_.size() - 1;
  }

  MarshalPtr object(unsigned depth) {
    if (depth > limits_.max_depth) fail("nesting deeper than " + std::to_string(limits_.max_depth));
    if (++objects_ > limits_.max_objects) fail("more than " + std::to_string(limits_.max_objects) + " objects");
    const std::uint64_t start = pos_;
    const std::uint8_t code = byte();
    const bool flag = (code & kFlagRef) != 0;
    const char type = static_cast<char>(code & ~kFlagRef);
    std::size_t slot = 0;
    if (flag) slot = reserve_ref();
    auto v = std::make_shared<MarshalValue>();
    switch (type) {
      case '0': v->kind = Kind::null; break;
      case 'N': v->kind = Kind::none; break;
      case 'F': v->kind = Kind::boolean; v->integer = 0; break;
      case 'T': v->kind = Kind::boolean; v->integer = 1; break;
      case 'S': v->kind = Kind::stop_iteration; break;
      case '.': v->kind = Kind::ellipsis; break;
      case 'i': v->kind = Kind::integer; v->integer = int32(); break;
      case 'I': {  // TYPE_INT64 (old writers)
        const std::uint32_t lo = static_cast<std::uint32_t>(int32());
        const std::int64_t hi = int32();
        v->kind = Kind::integer;
        v->integer = static_cast<std::int64_t>(static_cast<std::uint64_t>(hi) << 32 | lo);
        break;
      }
      case 'l': long_integer(*v); break;
      case 'f': {  // float as text: 1-byte length
        v->kind = Kind::floating;
        v->text = raw(byte());
        v->real = std::strtod(v->text.c_str(), nullptr);
        break;
      }
      case 'g': v->kind = Kind::floating; v->real = binary_double(); break;
      case 'x': {
        v->kind = Kind::complex;
        v->real = std::strtod(raw(byte()).c_str(), nullptr);
        v->imag = std::strtod(raw(byte()).c_str(), nullptr);
        break;
      }
      case 'y': v->kind = Kind::complex; v->real = binary_double(); v->imag = binary_double(); break;
      case 's': v->kind = Kind::bytes; v->text = raw(count(int32(), 1)); break;
      case 't': case 'u': case 'a': case 'A':
        v->kind = Kind::str;
        v->text = raw(count(int32(), 1));
        break;
      case 'z': case 'Z': v->kind = Kind::str; v->text = raw(byte()); break;
      case 'r': {
        const std::int32_t index = int32();
        if (index < 0 || static_cast<std::size_t>(index) >= refs_.size())
          fail("back-reference " + std::to_string(index) + " out of range");
        MarshalPtr target = refs_[static_cast<std::size_t>(index)];
        if (!target) {  // the referenced object is still being built: a loop
          auto loop = std::make_shared<MarshalValue>();
          loop->kind = Kind::unresolved_ref;
          target = loop;
        }
        if (flag) refs_[slot] = target;
        return target;
      }
      case '(': case '[': case '<': case '>': {
        v->kind = type == '(' ? Kind::tuple : type == '[' ? Kind::list : type == '<' ? Kind::set : Kind::frozenset;
        sequence(*v, count(int32(), 1), depth);
        break;
      }
      case ')': v->kind = Kind::tuple; sequence(*v, byte(), depth); break;
      case '{': {
        v->kind = Kind::dict;
        for (;;) {
          MarshalPtr key = object(depth + 1);
          if (key->kind == Kind::null) break;
          v->items.push_back(std::move(key));
          v->items.push_back(object(depth + 1));
        }
        break;
      }
      case 'c': {
        v->kind = Kind::code;
        v->code = code_object(depth, start, flag ? slot : SIZE_MAX);
        break;
      }
      default:
        fail("unknown marshal type 0x" + hex(code) + " at offset " + std::to_string(start));
    }
    if (flag) refs_[slot] = v;
    return v;
  }

  static std::string hex(std::uint8_t c) {
    static const char* digits = "0123456789abcdef";
    return {digits[c >> 4], digits[c & 15]};
  }

  double binary_double() {
    if (d_.size() - pos_ < 8) fail("truncated float");
    std::uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) bits = bits << 8 | d_[pos_ + static_cast<std::size_t>(i)];
    pos_ += 8;
    double out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
  }

  void long_integer(MarshalValue& v) {
    const std::int32_t n = int32();
    if (n == INT32_MIN) fail("bad long size");
    const std::uint64_t digits = count(n < 0 ? -static_cast<std::int64_t>(n) : n, 2);
    // 15-bit digits, least significant first. Keep an int64 while it fits, else hex text.
    std::vector<std::uint16_t> ds(static_cast<std::size_t>(digits));
    for (auto& dg : ds) {
      dg = static_cast<std::uint16_t>(byte() | byte() << 8);
      if (dg >= 1u << 15) fail("bad long digit");
    }
    if (digits * 15 <= 62) {
      std::int64_t value = 0;
      for (std::size_t i = ds.size(); i-- > 0;) value = value << 15 | ds[i];
      v.kind = Kind::integer;
      v.integer = n < 0 ? -value : value;
      return;
    }
    v.kind = Kind::big_integer;
    v.text = (n < 0 ? "-<" : "<") + std::to_string(digits * 15) + "-bit integer>";
  }

  void sequence(MarshalValue& v, std::uint64_t n, unsigned depth) {
    v.items.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(n, 4096)));
    for (std::uint64_t i = 0; i < n; ++i) v.items.push_back(object(depth + 1));
  }

  // ---- code objects ----------------------------------------------------------------------

  MarshalPtr expect(unsigned depth, Kind kind, const char* field) {
    MarshalPtr p = object(depth + 1);
    if (p->kind != kind && !(kind == Kind::tuple && p->kind == Kind::unresolved_ref))
      fail(std::string("code object field ") + field + " has the wrong type");
    return p;
  }
  std::string expect_text(unsigned depth, const char* field) {
    MarshalPtr p = object(depth + 1);
    if (p->kind != Kind::str && p->kind != Kind::bytes)
      fail(std::string("code object field ") + field + " is not a string");
    return p->text;
  }

  // Try the known layouts; once one has parsed, the stream's version is settled and later
  // code objects use only that one. Failed (offset, layout) attempts are remembered so that
  // nested code objects cannot make the search exponential.
  std::shared_ptr<const CodeObject> code_object(unsigned depth, std::uint64_t start, std::size_t slot) {
    const std::uint64_t fields_at = pos_;
    const std::size_t refs_at = refs_.size();
    const std::uint64_t objects_at = objects_;
    std::string last_error;
    const CodeLayout order[] = {CodeLayout::py311, CodeLayout::py38, CodeLayout::py36};
    for (CodeLayout layout : order) {
      if (layout_known_ && layout != layout_) continue;
      if (failed_.count({fields_at, static_cast<int>(layout)})) continue;
      try {
        auto c = code_fields(layout, depth);
        if (!layout_known_) {
          layout_known_ = true;
          layout_ = layout;
        }
        return c;
      } catch (const ParseError& e) {
        last_error = e.message;
        failed_.insert({fields_at, static_cast<int>(layout)});
        pos_ = fields_at;
        refs_.resize(refs_at);
        objects_ = objects_at;
        if (++attempts_ > 100'000) fail("code object layout search exhausted");
      }
    }
    (void)slot;
    fail("code object at offset " + std::to_string(start) + " matches no known layout (" + last_error + ")");
  }

  std::shared_ptr<const CodeObject> code_fields(CodeLayout layout, unsigned depth) {
    auto c = std::make_shared<CodeObject>();
    c->layout = layout;
    c->argcount = int32();
    if (layout != CodeLayout::py36) int32();  // posonlyargcount
    int32();                                  // kwonlyargcount
    if (layout != CodeLayout::py311) int32(); // nlocals
    int32();                                  // stacksize
    c->flags = int32();
    MarshalPtr code = expect(depth, Kind::bytes, "co_code");
    c->code = code->text;
    c->consts = expect(depth, Kind::tuple, "co_consts");
    c->names = expect(depth, Kind::tuple, "co_names");
    c->varnames = expect(depth, Kind::tuple, "co_varnames");
    if (layout == CodeLayout::py311) {
      MarshalPtr kinds = expect(depth, Kind::bytes, "co_localspluskinds");
      if (c->varnames->kind == Kind::tuple && kinds->text.size() != c->varnames->items.size())
        fail("co_localspluskinds does not match co_localsplusnames");
    } else {
      c->freevars = expect(depth, Kind::tuple, "co_freevars");
      c->cellvars = expect(depth, Kind::tuple, "co_cellvars");
    }
    c->filename = expect_text(depth, "co_filename");
    c->name = expect_text(depth, "co_name");
    if (layout == CodeLayout::py311) c->qualname = expect_text(depth, "co_qualname");
    c->firstlineno = int32();
    expect(depth, Kind::bytes, "co_linetable");
    if (layout == CodeLayout::py311) expect(depth, Kind::bytes, "co_exceptiontable");
    if (c->qualname.empty()) c->qualname = c->name;
    for (const auto& n : c->names->items)
      if (n->kind != Kind::str) fail("co_names holds a non-string");
    return c;
  }

  Bytes d_;
  const MarshalLimits& limits_;
  std::uint64_t pos_ = 0;
  std::uint64_t objects_ = 0;
  std::uint64_t attempts_ = 0;
  std::vector<MarshalPtr> refs_;
  std::set<std::pair<std::uint64_t, int>> failed_;
  bool layout_known_ = false;
  CodeLayout layout_ = CodeLayout::py311;
};

}  // namespace

std::string_view MarshalValue::item_text(std::size_t i) const {
  if (i >= items.size() || !items[i]) return {};
  const auto& item = *items[i];
  return item.kind == Kind::str || item.kind == Kind::bytes ? std::string_view(item.text) : std::string_view();
}

Result<MarshalDocument> read_marshal(Bytes data, const MarshalLimits& limits) {
  try {
    return Reader(data, limits).run();
  } catch (const ParseError& e) {
    return make_error("marshal: " + e.message);
  } catch (const std::bad_alloc&) {
    return make_error("marshal: out of memory");
  }
}

}  // namespace hubguard::scan::python
