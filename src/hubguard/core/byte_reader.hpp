// A bounds-checked little/big-endian cursor over a byte view. Every binary reader in
// hubguard goes through this: a read past the end fails (returns false / nullopt) instead
// of touching memory it does not own, so hostile length fields cannot cause overreads.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "hubguard/core/bytes.hpp"

namespace hubguard {

class ByteReader {
 public:
  explicit ByteReader(Bytes data, std::size_t offset = 0) : data_(data), pos_(offset) {
    if (pos_ > data_.size()) pos_ = data_.size();
  }

  std::size_t offset() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return pos_ >= data_.size(); }
  Bytes data() const { return data_; }

  bool seek(std::size_t offset) {
    if (offset > data_.size()) return false;
    pos_ = offset;
    return true;
  }
  bool skip(std::size_t n) {
    if (n > remaining()) return false;
    pos_ += n;
    return true;
  }

  std::optional<std::uint8_t> u8() {
    if (remaining() < 1) return std::nullopt;
    return data_[pos_++];
  }
  std::optional<std::uint8_t> peek() const {
    if (remaining() < 1) return std::nullopt;
    return data_[pos_];
  }
  std::optional<std::uint16_t> u16le() { return little<std::uint16_t>(); }
  std::optional<std::uint32_t> u32le() { return little<std::uint32_t>(); }
  std::optional<std::uint64_t> u64le() { return little<std::uint64_t>(); }
  std::optional<std::uint32_t> u32be() {
    if (remaining() < 4) return std::nullopt;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | data_[pos_ + i];
    pos_ += 4;
    return v;
  }

  // A view of the next n bytes, advancing past them; nullopt when fewer remain.
  std::optional<Bytes> bytes(std::size_t n) {
    if (n > remaining()) return std::nullopt;
    Bytes out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  std::optional<std::string_view> text(std::size_t n) {
    auto b = bytes(n);
    if (!b) return std::nullopt;
    return as_text(*b);
  }
  // Bytes up to (not including) the next '\n', advancing past the newline.
  std::optional<std::string_view> line() {
    const auto* begin = data_.data() + pos_;
    const void* nl = std::memchr(begin, '\n', remaining());
    if (nl == nullptr) return std::nullopt;
    std::size_t n = static_cast<const std::uint8_t*>(nl) - begin;
    std::string_view out(reinterpret_cast<const char*>(begin), n);
    pos_ += n + 1;
    return out;
  }

 private:
  template <class T>
  std::optional<T> little() {
    if (remaining() < sizeof(T)) return std::nullopt;
    T v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(data_[pos_ + i]) << (8 * i);
    pos_ += sizeof(T);
    return v;
  }

  Bytes data_;
  std::size_t pos_ = 0;
};

}  // namespace hubguard
