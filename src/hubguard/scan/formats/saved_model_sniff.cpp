#include "hubguard/scan/formats/saved_model_sniff.hpp"

#include <cstdint>
#include <string>

namespace hubguard::scan {
namespace {

enum WireType : unsigned { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

struct Field {
  std::uint32_t number = 0;
  unsigned type = 0;
  std::uint64_t value = 0;  // varint value, or the declared length of a LEN field
  Bytes payload;            // LEN fields: the bytes present (fewer than declared if cut)
  bool cut = false;         // the LEN payload runs past the end of the buffer
};

// A forward-only reader of protobuf field headers over a byte range. Groups (wire types 3
// and 4) are refused: TensorFlow never writes them.
class WireReader {
 public:
  explicit WireReader(Bytes b) : b_(b) {}
  bool done() const { return pos_ >= b_.size(); }
  std::size_t pos() const { return pos_; }
  const std::string& error() const { return error_; }

  bool next(Field& f) {
    std::uint64_t key = 0;
    if (!varint(key)) return fail("field header");
    f = Field{};
    f.number = static_cast<std::uint32_t>(key >> 3);
    f.type = static_cast<unsigned>(key & 7);
    if (f.number == 0 || (key >> 3) > 0x1FFFFFFF) return fail("field number");
    switch (f.type) {
      case kVarint:
        if (!varint(f.value)) return fail("varint");
        return true;
      case kFixed64:
        return skip(8);
      case kFixed32:
        return skip(4);
      case kLen: {
        if (!varint(f.value)) return fail("length");
        const std::size_t left = b_.size() - pos_;
        if (f.value > left) {
          f.cut = true;
          f.payload = b_.subspan(pos_);
          pos_ = b_.size();
          return true;
        }
        f.payload = b_.subspan(pos_, static_cast<std::size_t>(f.value));
        pos_ += static_cast<std::size_t>(f.value);
        return true;
      }
      default:
        return fail("wire type " + std::to_string(f.type));
    }
  }

 private:
  bool varint(std::uint64_t& out) {
    out = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (pos_ >= b_.size()) return false;
      const auto byte = static_cast<std::uint8_t>(b_[pos_++]);
      out |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool skip(std::size_t n) {
    if (b_.size() - pos_ < n) return fail("fixed-size value");
    pos_ += n;
    return true;
  }
  bool fail(std::string what) {
    if (error_.empty()) error_ = "bad " + std::move(what) + " at offset " + std::to_string(pos_);
    return false;
  }

  Bytes b_;
  std::size_t pos_ = 0;
  std::string error_;
};

constexpr unsigned kMaxFieldsSniffed = 64;

// MetaGraphDef fields are 1..7 (meta_info_def, graph_def, saver_def, collection_def,
// signature_def, asset_file_def, object_graph_def), all messages or maps of messages.
bool meta_graph_has_graph_def(Bytes meta) {
  WireReader r(meta);
  Field f;
  for (unsigned i = 0; i < kMaxFieldsSniffed && !r.done(); ++i) {
    if (!r.next(f) || f.type != kLen || f.number > 16) return false;
    if (f.number == 2) return true;
    if (f.cut) return false;
  }
  return false;
}

bool starts_with_json_object(Bytes b) {
  for (std::uint8_t c : b) {
    const auto ch = static_cast<char>(c);
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') continue;
    return ch == '{';
  }
  return false;
}

// SavedObject (Keras): version (1, message), node_id (2, varint), node_path (3), identifier
// (4), metadata (5): the node must carry a JSON object as metadata.
bool keras_node_has_json(Bytes node) {
  WireReader r(node);
  Field f;
  for (unsigned i = 0; i < kMaxFieldsSniffed && !r.done(); ++i) {
    if (!r.next(f) || f.number > 6) return false;
    if ((f.number == 2) != (f.type == kVarint)) return false;
    if (f.number != 2 && f.type != kLen) return false;
    if (f.number == 5) return starts_with_json_object(f.payload);
  }
  return false;
}

std::string_view base_name(std::string_view name) {
  const auto slash = name.find_last_of("/\\");
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

}  // namespace

bool looks_like_saved_model(Bytes bytes, std::string_view file_name) {
  if (bytes.empty()) return false;
  const bool hinted = base_name(file_name) == "saved_model.pb";
  // TensorFlow writes fields in number order: the schema version comes first.
  if (bytes[0] != 0x08 && !(hinted && bytes[0] == 0x12)) return false;
  WireReader r(bytes);
  Field f;
  bool version = false;
  for (unsigned i = 0; i < kMaxFieldsSniffed && !r.done(); ++i) {
    if (!r.next(f)) return false;
    if (f.number == 1 && f.type == kVarint && !version) {
      // TensorFlow has only ever written schema version 1.
      if (f.value == 0 || f.value > 16) return false;
      version = true;
      continue;
    }
    if (f.number == 2 && f.type == kLen) return (version || hinted) && meta_graph_has_graph_def(f.payload);
    return false;
  }
  return false;
}

bool looks_like_keras_metadata(Bytes bytes) {
  if (bytes.empty() || bytes[0] != 0x0A) return false;
  WireReader r(bytes);
  Field f;
  if (!r.next(f) || f.number != 1 || f.type != kLen) return false;
  if (!keras_node_has_json(f.payload)) return false;
  // The rest of the top level must be more nodes (checked for the first few).
  for (unsigned i = 1; i < kMaxFieldsSniffed && !r.done(); ++i)
    if (!r.next(f) || f.number != 1 || f.type != kLen) return false;
  return true;
}

std::string describe_top_level_damage(Bytes bytes) {
  WireReader r(bytes);
  Field f;
  while (!r.done()) {
    const std::size_t at = r.pos();
    if (!r.next(f)) return r.error();
    if (f.cut)
      return "truncated: field " + std::to_string(f.number) + " at offset " + std::to_string(at) +
             " declares " + std::to_string(f.value) + " bytes but only " +
             std::to_string(f.payload.size()) + " remain";
  }
  return {};
}

}  // namespace hubguard::scan
