#include "hubguard/scan/formats/protobuf_wire.hpp"

#include <array>

namespace hubguard::scan::protobuf {
namespace {

constexpr std::uint64_t kMaxFieldNumber = (1u << 29) - 1;

}  // namespace

std::optional<std::uint64_t> read_varint(Bytes bytes, std::size_t& pos) {
  std::uint64_t value = 0;
  for (unsigned i = 0; i < 10; ++i) {
    if (pos >= bytes.size()) return std::nullopt;
    const std::uint8_t b = bytes[pos++];
    value |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) return value;
  }
  return std::nullopt;
}

bool WireReader::fail(std::string why) {
  if (error_.empty()) {
    error_ = std::move(why);
    failed_field_ = reading_;
  }
  pos_ = bytes_.size();
  return false;
}

bool WireReader::next(Field& field) {
  while (!failed() && pos_ < bytes_.size()) {
    const std::size_t start = pos_;
    reading_ = 0;
    const auto key = read_varint(bytes_, pos_);
    if (!key)
      return fail("truncated or overlong field key at offset " + std::to_string(base_ + start));
    const std::uint64_t number = *key >> 3;
    const auto type = static_cast<unsigned>(*key & 7);
    if (number == 0 || number > kMaxFieldNumber)
      return fail("invalid field number " + std::to_string(number) + " at offset " +
                  std::to_string(base_ + start));
    field = Field{};
    field.number = static_cast<std::uint32_t>(number);
    reading_ = field.number;
    field.type = static_cast<WireType>(type);
    field.offset = base_ + start;
    // Built only on failure: this loop runs once per field of a model.
    auto where = [&] {
      return "field " + std::to_string(number) + " at offset " + std::to_string(base_ + start);
    };
    switch (type) {
      case 0: {
        const auto v = read_varint(bytes_, pos_);
        if (!v) return fail(where() + ": truncated or overlong varint");
        field.value = *v;
        return true;
      }
      case 1:
      case 5: {
        const std::size_t width = type == 1 ? 8 : 4;
        if (bytes_.size() - pos_ < width) return fail(where() + ": truncated fixed-width value");
        for (std::size_t i = 0; i < width; ++i)
          field.value |= static_cast<std::uint64_t>(bytes_[pos_ + i]) << (8 * i);
        pos_ += width;
        return true;
      }
      case 2: {
        const auto length = read_varint(bytes_, pos_);
        if (!length) return fail(where() + ": truncated or overlong length");
        const std::uint64_t left = bytes_.size() - pos_;
        if (*length > left)
          return fail(where() + ": length " + std::to_string(*length) + " runs past the end (" +
                      std::to_string(left) + " bytes left; truncated?)");
        field.payload = bytes_.subspan(pos_, static_cast<std::size_t>(*length));
        field.payload_offset = base_ + pos_;
        pos_ += static_cast<std::size_t>(*length);
        return true;
      }
      case 3:
        if (!skip_group(field.number)) return false;
        continue;  // groups carry nothing our callers read
      case 4:
        return fail(where() + ": end-group without a start-group");
      default:
        return fail(where() + ": invalid wire type " + std::to_string(type));
    }
  }
  return false;
}

// Skips a group's fields up to its end-group, nested groups included, without recursion.
bool WireReader::skip_group(std::uint32_t number) {
  std::array<std::uint32_t, kMaxGroupDepth> open{};
  unsigned depth = 0;
  open[depth++] = number;
  while (depth > 0) {
    const std::size_t start = pos_;
    const auto key = read_varint(bytes_, pos_);
    if (!key) return fail("group " + std::to_string(number) + " is not closed (truncated?)");
    const std::uint64_t n = *key >> 3;
    const auto type = static_cast<unsigned>(*key & 7);
    auto where = [&] {
      return "field " + std::to_string(n) + " at offset " + std::to_string(base_ + start);
    };
    if (n == 0 || n > kMaxFieldNumber)
      return fail("invalid field number " + std::to_string(n) + " inside a group at offset " +
                  std::to_string(base_ + start));
    switch (type) {
      case 0:
        if (!read_varint(bytes_, pos_)) return fail(where() + ": truncated or overlong varint");
        break;
      case 1:
      case 5: {
        const std::size_t width = type == 1 ? 8 : 4;
        if (bytes_.size() - pos_ < width) return fail(where() + ": truncated fixed-width value");
        pos_ += width;
        break;
      }
      case 2: {
        const auto length = read_varint(bytes_, pos_);
        if (!length || *length > bytes_.size() - pos_)
          return fail(where() + ": length runs past the end");
        pos_ += static_cast<std::size_t>(*length);
        break;
      }
      case 3:
        if (depth == kMaxGroupDepth)
          return fail(where() + ": groups nested deeper than " + std::to_string(kMaxGroupDepth));
        open[depth++] = static_cast<std::uint32_t>(n);
        break;
      case 4:
        if (open[depth - 1] != n)
          return fail(where() + ": end-group does not match its start-group");
        --depth;
        break;
      default:
        return fail(where() + ": invalid wire type " + std::to_string(type));
    }
  }
  return true;
}

bool is_valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0, min = 0;
    if ((c & 0xE0) == 0xC0)
      len = 2, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
      len = 3, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
      len = 4, cp = c & 0x07, min = 0x10000;
    else
      return false;
    if (n - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace hubguard::scan::protobuf
