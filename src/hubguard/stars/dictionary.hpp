// Dictionary encoding of names (account logins, repository names, organisations): each
// distinct string gets a dense 32-bit id in first-seen order. The stars engine works on
// ids only; names come back at output time.
//
// Memory is the design constraint: the whole archive has tens of millions of names, so a
// name costs its bytes in one arena, an 8-byte offset, and ~6-11 bytes of open-addressing
// hash slots (ids, load factor at most 0.7) — about len + 16 bytes, against ~120 bytes for
// an unordered_map<string, id> beside a vector<string>.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hubguard::stars {

inline constexpr std::uint32_t kNoId = 0xFFFFFFFFu;

class Dictionary {
 public:
  // The id of `name`, adding it when new.
  std::uint32_t intern(std::string_view name);
  // The id of `name`, or kNoId.
  std::uint32_t find(std::string_view name) const;

  // Valid until the next intern() (the arena may move).
  std::string_view name(std::uint32_t id) const {
    return {arena_.data() + offsets_[id], static_cast<std::size_t>(offsets_[id + 1] - offsets_[id])};
  }
  std::size_t size() const { return offsets_.size() - 1; }
  // Every name in id order (views; valid until the next intern()).
  std::vector<std::string_view> names() const;
  // Bytes held by the arena, offsets and hash slots.
  std::size_t memory_bytes() const;
  void reserve(std::size_t names, std::size_t bytes);

 private:
  std::size_t slot_of(std::string_view name, std::size_t hash) const;
  void grow_slots();

  std::string arena_;
  std::vector<std::uint64_t> offsets_{0};  // name i is arena_[offsets_[i], offsets_[i+1])
  std::vector<std::uint32_t> slots_;       // ids by hash, kNoId = empty; size a power of two
};

}  // namespace hubguard::stars
