// A test-side protobuf wire encoder: builds messages field by field so that tests can make
// well-formed, truncated and hostile protobuf inputs (ONNX models and the like) in memory.
#pragma once

#include <cstdint>
#include <string>

namespace hubguard::scan::testing {

class Proto {
 public:
  Proto& varint(std::uint32_t field, std::uint64_t v) {
    key(field, 0);
    raw_varint(v);
    return *this;
  }
  Proto& bytes(std::uint32_t field, const std::string& payload) {
    key(field, 2);
    raw_varint(payload.size());
    out_ += payload;
    return *this;
  }
  Proto& message(std::uint32_t field, const Proto& m) { return bytes(field, m.str()); }
  Proto& fixed32(std::uint32_t field, std::uint32_t v) {
    key(field, 5);
    for (int i = 0; i < 4; ++i) out_ += static_cast<char>((v >> (8 * i)) & 0xFF);
    return *this;
  }
  // A length-delimited field that claims `length` bytes; the caller appends what follows.
  Proto& length_only(std::uint32_t field, std::uint64_t length) {
    key(field, 2);
    raw_varint(length);
    return *this;
  }
  Proto& raw(const std::string& bytes) {
    out_ += bytes;
    return *this;
  }
  Proto& key(std::uint32_t field, unsigned wire_type) {
    raw_varint((static_cast<std::uint64_t>(field) << 3) | wire_type);
    return *this;
  }
  Proto& raw_varint(std::uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7F) | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
    return *this;
  }
  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

}  // namespace hubguard::scan::testing
