// A bounded reader of the protobuf wire format over bytes viewed in place, for formats that
// are protobuf messages (ONNX models, TensorFlow graphs). It hands out one field at a time:
// numbers and fixed-width values decoded, length-delimited payloads as views into the
// input. A payload a caller does not ask about is skipped by advancing an offset, so the
// bytes of a 2 GB weight blob are never copied, read or even paged in. Every length, varint
// and group nesting is checked against the bytes left; a malformed field ends the walk with
// an error text (field, offset, why), never a crash. It knows no schema: callers match field
// numbers and wire types themselves, and treat a known number with an unexpected wire type
// as an unknown field, as protobuf's own parsers do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hubguard/core/bytes.hpp"

namespace hubguard::scan::protobuf {

enum class WireType : std::uint8_t {
  varint = 0,
  fixed64 = 1,
  length_delimited = 2,
  start_group = 3,  // deprecated groups: skipped whole, never returned
  end_group = 4,
  fixed32 = 5,
};

struct Field {
  std::uint32_t number = 0;
  WireType type = WireType::varint;
  std::uint64_t value = 0;           // varint, fixed32 and fixed64 fields
  Bytes payload;                     // length-delimited fields: a view, never copied
  std::uint64_t offset = 0;          // where the field's key starts (absolute, see WireReader)
  std::uint64_t payload_offset = 0;  // where the payload starts (absolute)

  bool is_bytes() const { return type == WireType::length_delimited; }
  bool is_varint() const { return type == WireType::varint; }
  std::string_view text() const { return as_text(payload); }
};

// Deepest nesting of (deprecated) groups skipped before the input counts as malformed.
inline constexpr unsigned kMaxGroupDepth = 64;

class WireReader {
 public:
  // `base` is where `message` starts in the outermost buffer, so that field offsets and error
  // texts of nested messages point into the file.
  explicit WireReader(Bytes message, std::uint64_t base = 0) : bytes_(message), base_(base) {}
  // For a nested message: reads `field`'s payload.
  static WireReader nested(const Field& field) {
    return WireReader(field.payload, field.payload_offset);
  }

  // The next field; false at the end of the message or on a malformed field (then failed()).
  bool next(Field& field);
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  bool at_end() const { return pos_ >= bytes_.size(); }
  std::uint64_t offset() const { return base_ + pos_; }
  // The number of the field whose reading failed (0 when its key itself was unreadable):
  // tells a truncated payload of a known field from garbage.
  std::uint32_t failed_field() const { return failed_field_; }

 private:
  bool fail(std::string why);
  bool skip_group(std::uint32_t number);

  Bytes bytes_;
  std::uint64_t base_;
  std::size_t pos_ = 0;
  std::string error_;
  std::uint32_t reading_ = 0;  // the field being read, for failed_field()
  std::uint32_t failed_field_ = 0;
};

// One varint starting at `pos` (advanced past it); nullopt when the bytes end inside it or it
// runs longer than 10 bytes. Also for packed repeated scalars.
std::optional<std::uint64_t> read_varint(Bytes bytes, std::size_t& pos);

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

}  // namespace hubguard::scan::protobuf
