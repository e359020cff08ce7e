// Byte views. Everything hubguard parses is viewed in place (over an mmap'd file or an
// owned decompression buffer) as a span of unsigned bytes; nothing is copied to parse it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hubguard {

using Bytes = std::span<const std::uint8_t>;
using ByteBuffer = std::vector<std::uint8_t>;

inline std::string_view as_text(Bytes b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline bool starts_with(Bytes b, std::string_view prefix) {
  return b.size() >= prefix.size() && as_text(b.first(prefix.size())) == prefix;
}

}  // namespace hubguard
