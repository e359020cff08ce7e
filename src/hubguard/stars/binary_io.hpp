// Little-endian fixed-width fields for the event store's headers and manifest, appended to a
// byte buffer or read from a bounds-checked cursor. The store is only written and read on
// little-endian machines (x86-64, arm64); the magic/version check catches anything else.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/core/bytes.hpp"

namespace hubguard::stars {

template <class T>
void put_fixed(std::vector<std::uint8_t>& out, T v) {
  // resize + memcpy rather than insert(): g++ 12 warns falsely (stringop-overflow) on
  // small range inserts into an empty vector.
  const std::size_t at = out.size();
  out.resize(at + sizeof v);
  std::memcpy(out.data() + at, &v, sizeof v);
}

inline void put_bytes(std::vector<std::uint8_t>& out, std::string_view s) {
  const std::size_t at = out.size();
  out.resize(at + s.size());
  if (!s.empty()) std::memcpy(out.data() + at, s.data(), s.size());
}

class FixedReader {
 public:
  explicit FixedReader(Bytes b) : b_(b) {}
  template <class T>
  bool get(T& v) {
    if (b_.size() - pos_ < sizeof v) return false;
    std::memcpy(&v, b_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return true;
  }
  bool get_string(std::size_t n, std::string& s) {
    if (b_.size() - pos_ < n) return false;
    s.assign(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return true;
  }
  std::size_t pos() const { return pos_; }

 private:
  Bytes b_;
  std::size_t pos_ = 0;
};

}  // namespace hubguard::stars
