// The "gguf" handler: parses a GGUF file's header, metadata key/value table and tensor
// infos (versions 1-3; version 1 writes 32-bit counts and lengths; version 3 files may be
// big-endian) with every count, length and nesting level checked against the bytes left,
// and never reads tensor data. GGUF carries no executable code except its chat templates:
// `tokenizer.chat_template` and `tokenizer.chat_template.<name>` are Jinja that runtimes
// render, so they are handed to the code analyzers as chat-template evidence and checked
// for sandbox escapes (jinja_template_check.hpp). Other string values are checked for code
// and URLs. Anything that does not parse makes the file unscannable with the reason.
#include <algorithm>
#include <optional>

#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/jinja_template_check.hpp"
#include "hubguard/scan/formats/metadata_text_check.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

enum ValueType : std::uint32_t {
  kU8 = 0, kI8, kU16, kI16, kU32, kI32, kF32, kBool, kString, kArray, kU64, kI64, kF64, kTypeCount
};
constexpr unsigned kMaxArrayDepth = 8;
constexpr std::uint64_t kMaxKeyLength = 64 * 1024;
constexpr std::uint32_t kMaxDims = 8;          // ggml uses 4; a little slack for newer writers
constexpr std::uint32_t kMaxGgmlType = 64;     // ggml's type enum has ~40 entries
constexpr std::uint32_t kDefaultAlignment = 32;

// A bounded cursor over the file; every read checks the bytes left and throws nothing: a
// failed read sets `error` and returns zero, and callers stop at the next check.
class Reader {
 public:
  Reader(Bytes b, bool big_endian) : b_(b), big_(big_endian) {}
  std::uint64_t pos() const { return pos_; }
  std::uint64_t left() const { return b_.size() - pos_; }
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  void fail(std::string why) {
    if (error_.empty()) error_ = std::move(why) + " at offset " + std::to_string(pos_);
  }

  std::uint64_t uint(unsigned size) {
    if (failed()) return 0;
    if (left() < size) {
      fail("unexpected end of file");
      return 0;
    }
    std::uint64_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
      const unsigned shift = big_ ? 8 * (size - 1 - i) : 8 * i;
      v |= static_cast<std::uint64_t>(b_[pos_ + i]) << shift;
    }
    pos_ += size;
    return v;
  }
  bool skip(std::uint64_t n) {
    if (failed()) return false;
    if (left() < n) {
      fail("unexpected end of file");
      return false;
    }
    pos_ += n;
    return true;
  }
  std::string_view text(std::uint64_t n) {
    if (!skip(n)) return {};
    return as_text(b_.subspan(pos_ - n, n));
  }

 private:
  Bytes b_;
  bool big_;
  std::uint64_t pos_ = 0;
  std::string error_;
};

// Bytes per block and elements per block of the ggml tensor types whose layout is fixed and
// well known; 0 for the rest (their size is not checked).
struct BlockSize {
  std::uint32_t bytes, elements;
};
BlockSize ggml_block(std::uint32_t type) {
  switch (type) {
    case 0: return {4, 1};      // F32
    case 1: return {2, 1};      // F16
    case 2: return {18, 32};    // Q4_0
    case 3: return {20, 32};    // Q4_1
    case 6: return {22, 32};    // Q5_0
    case 7: return {24, 32};    // Q5_1
    case 8: return {34, 32};    // Q8_0
    case 9: return {36, 32};    // Q8_1
    case 10: return {84, 256};  // Q2_K
    case 11: return {110, 256}; // Q3_K
    case 12: return {144, 256}; // Q4_K
    case 13: return {176, 256}; // Q5_K
    case 14: return {210, 256}; // Q6_K
    case 15: return {292, 256}; // Q8_K
    case 24: return {1, 1};     // I8
    case 25: return {2, 1};     // I16
    case 26: return {4, 1};     // I32
    case 27: return {8, 1};     // I64
    case 28: return {8, 1};     // F64
    case 30: return {2, 1};     // BF16
    default: return {0, 0};
  }
}

unsigned scalar_size(std::uint32_t type) {
  switch (type) {
    case kU8: case kI8: case kBool: return 1;
    case kU16: case kI16: return 2;
    case kU32: case kI32: case kF32: return 4;
    case kU64: case kI64: case kF64: return 8;
    default: return 0;
  }
}

class GgufParser {
 public:
  GgufParser(const Artifact& a, ScanContext& ctx, bool big_endian, std::uint32_t version)
      : a_(a), ctx_(ctx), r_(a.bytes, big_endian), v1_(version == 1) {}

  void run() {
    r_.skip(8);  // magic, version
    const std::uint64_t tensors = count();
    const std::uint64_t kvs = count();
    // Each key/value needs at least a length, a type and one byte; each tensor info a name
    // length, n_dims, type and offset: counts beyond the bytes left are lies.
    if (!r_.failed() && kvs > r_.left() / (len_size() + 5)) r_.fail("metadata count " + std::to_string(kvs) + " exceeds the file");
    for (std::uint64_t i = 0; i < kvs && !r_.failed(); ++i) key_value();
    if (!r_.failed() && tensors > r_.left() / (len_size() + 4 + 4 + 8))
      r_.fail("tensor count " + std::to_string(tensors) + " exceeds the file");
    std::uint64_t max_end_offset = 0;
    for (std::uint64_t i = 0; i < tensors && !r_.failed(); ++i) max_end_offset = std::max(max_end_offset, tensor_info());
    if (r_.failed()) {
      ctx_.unscannable("gguf: " + r_.error());
      return;
    }
    if (alignment_ == 0 || (alignment_ & (alignment_ - 1)) != 0) {
      ctx_.unscannable("gguf: general.alignment " + std::to_string(alignment_) + " is not a power of two");
      return;
    }
    if (misaligned_ > 0)
      ctx_.add_finding(make_finding("gguf.misaligned-tensor", Severity::low, Verdict::suspicious, "format-anomaly",
                                    std::to_string(misaligned_) + " tensor offset(s) are not multiples of the "
                                    "alignment " + std::to_string(alignment_) + "; loaders reject the file",
                                    r_.pos()));
    const std::uint64_t data_start = (r_.pos() + alignment_ - 1) / alignment_ * alignment_;
    if (tensors > 0 && (data_start > a_.bytes.size() || max_end_offset > a_.bytes.size() - data_start))
      ctx_.unscannable("gguf: tensor data lies past the end of the file (truncated)");
  }

 private:
  unsigned len_size() const { return v1_ ? 4 : 8; }
  std::uint64_t count() { return r_.uint(len_size()); }

  std::string_view string() {
    const std::uint64_t n = r_.uint(len_size());
    if (r_.failed()) return {};
    if (n > r_.left()) {
      r_.fail("string length " + std::to_string(n) + " exceeds the file");
      return {};
    }
    return r_.text(n);
  }

  // Reads (and mostly skips) one value; strings at the top level are returned for checking.
  std::optional<std::string_view> value(std::uint32_t type, unsigned depth, std::uint64_t* number) {
    if (type >= kTypeCount) {
      r_.fail("unknown value type " + std::to_string(type));
      return std::nullopt;
    }
    if (type == kString) return string();
    if (type == kArray) {
      if (depth >= kMaxArrayDepth) {
        r_.fail("arrays nested deeper than " + std::to_string(kMaxArrayDepth));
        return std::nullopt;
      }
      const auto item_type = static_cast<std::uint32_t>(r_.uint(4));
      const std::uint64_t n = count();
      if (r_.failed()) return std::nullopt;
      if (item_type >= kTypeCount) {
        r_.fail("unknown array item type " + std::to_string(item_type));
        return std::nullopt;
      }
      const unsigned size = scalar_size(item_type);
      if (size > 0) {
        if (n > r_.left() / size) r_.fail("array of " + std::to_string(n) + " items exceeds the file");
        else r_.skip(n * size);
        return std::nullopt;
      }
      // Strings need at least their length, arrays their type and count.
      const unsigned min_item = item_type == kString ? len_size() : 4 + len_size();
      if (n > r_.left() / min_item) {
        r_.fail("array of " + std::to_string(n) + " items exceeds the file");
        return std::nullopt;
      }
      for (std::uint64_t i = 0; i < n && !r_.failed(); ++i) value(item_type, depth + 1, nullptr);
      return std::nullopt;
    }
    const std::uint64_t v = r_.uint(scalar_size(type));
    if (number) *number = v;
    return std::nullopt;
  }

  void key_value() {
    const std::uint64_t at = r_.pos();
    std::string_view key = string();
    if (!r_.failed() && key.size() > kMaxKeyLength) r_.fail("key longer than 64 KiB");
    const auto type = static_cast<std::uint32_t>(r_.uint(4));
    if (r_.failed()) return;
    std::uint64_t number = 0;
    const std::uint64_t value_at = r_.pos();
    auto text = value(type, 0, &number);
    if (r_.failed()) return;
    if (key == "general.alignment") {
      if (type != kU32) r_.fail("general.alignment is not a uint32");
      alignment_ = static_cast<std::uint32_t>(number);
    }
    if (!text) return;
    if (key == "tokenizer.chat_template" || key.starts_with("tokenizer.chat_template.")) {
      const std::size_t keep = static_cast<std::size_t>(
          std::min<std::uint64_t>(text->size(), ctx_.limits().max_source_size + 1));
      ctx_.add_code({CodeKind::chat_template, std::string(text->substr(0, keep)), value_at,
                     "GGUF " + std::string(key) + " (Jinja rendered for every chat)"});
      check_jinja_template("gguf", key, *text, value_at, ctx_);
    } else {
      check_metadata_text("gguf", key, *text, at, ctx_);
    }
  }

  // Returns where the tensor's data ends in the data section (its offset plus its size when
  // the type's block layout is known).
  std::uint64_t tensor_info() {
    string();
    const auto dims = static_cast<std::uint32_t>(r_.uint(4));
    if (r_.failed()) return 0;
    if (dims > kMaxDims) {
      r_.fail("tensor with " + std::to_string(dims) + " dimensions");
      return 0;
    }
    std::uint64_t elements = 1;
    bool overflow = false;
    for (std::uint32_t d = 0; d < dims; ++d) overflow |= __builtin_mul_overflow(elements, r_.uint(v1_ ? 4 : 8), &elements);
    const auto type = static_cast<std::uint32_t>(r_.uint(4));
    const std::uint64_t offset = r_.uint(8);
    if (r_.failed()) return 0;
    if (type >= kMaxGgmlType) {
      r_.fail("unknown tensor type " + std::to_string(type));
      return 0;
    }
    if (overflow) {
      r_.fail("tensor element count overflows 64 bits");
      return 0;
    }
    if (alignment_ != 0 && offset % alignment_ != 0) ++misaligned_;
    const BlockSize block = ggml_block(type);
    if (block.elements == 0) return offset;
    std::uint64_t size = 0, end = 0;
    if (__builtin_mul_overflow((elements + block.elements - 1) / block.elements, std::uint64_t{block.bytes}, &size) ||
        __builtin_add_overflow(offset, size, &end)) {
      r_.fail("tensor size overflows 64 bits");
      return 0;
    }
    return end;
  }

  const Artifact& a_;
  ScanContext& ctx_;
  Reader r_;
  bool v1_;
  std::uint32_t alignment_ = kDefaultAlignment;
  std::uint64_t misaligned_ = 0;
};

std::uint32_t u32_at(Bytes b, std::size_t at, bool big) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(b[at + static_cast<std::size_t>(i)]) << (big ? 8 * (3 - i) : 8 * i);
  return v;
}

class GgufHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "gguf"; }
  bool accepts(const Artifact& a) const override { return starts_with(a.bytes, "GGUF"); }

  void scan(const Artifact& a, ScanContext& ctx) const override {
    if (a.bytes.size() < 8) {
      ctx.unscannable("gguf: truncated header");
      return;
    }
    // The version tells the byte order: big-endian files have it in the high bytes.
    bool big = false;
    std::uint32_t version = u32_at(a.bytes, 4, false);
    if (version > 0xFFFF) {
      big = true;
      version = u32_at(a.bytes, 4, true);
    }
    if (version < 1 || version > 3) {
      ctx.unscannable("gguf: unsupported version " + std::to_string(version));
      return;
    }
    GgufParser(a, ctx, big, version).run();
  }
};

}  // namespace

const FormatHandler& gguf_handler() {
  static const GgufHandler handler;
  return handler;
}

}  // namespace hubguard::scan
