// LEB128 variable-length unsigned integers (7 bits per byte, high bit = more), the event
// store's encoding for ids and time deltas: most time deltas take one byte, ids three or
// four. Decoding is bounds-checked because store files are input like any other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hubguard::stars {

inline void put_varint(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

// Reads one varint at p (< end); false on overrun or more than 10 bytes.
inline bool get_varint(const std::uint8_t*& p, const std::uint8_t* end, std::uint64_t& v) {
  std::uint64_t result = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (p == end) return false;
    const std::uint8_t b = *p++;
    result |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      v = result;
      return true;
    }
  }
  return false;
}

}  // namespace hubguard::stars
