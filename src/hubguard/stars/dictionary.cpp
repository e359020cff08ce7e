#include "hubguard/stars/dictionary.hpp"

#include <functional>

namespace hubguard::stars {
namespace {
std::size_t hash_of(std::string_view s) { return std::hash<std::string_view>{}(s); }
}  // namespace

// Linear probing: the slot holding `name`, or the empty slot where it would go.
std::size_t Dictionary::slot_of(std::string_view name, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const std::uint32_t id = slots_[i];
    if (id == kNoId || this->name(id) == name) return i;
  }
}

void Dictionary::grow_slots() {
  const std::size_t capacity = slots_.empty() ? 1024 : slots_.size() * 2;
  slots_.assign(capacity, kNoId);
  const std::size_t mask = capacity - 1;
  for (std::uint32_t id = 0; id < size(); ++id) {
    std::size_t i = hash_of(name(id)) & mask;
    while (slots_[i] != kNoId) i = (i + 1) & mask;
    slots_[i] = id;
  }
}

std::uint32_t Dictionary::intern(std::string_view name) {
  // Keep the load factor at most 0.7 so probe runs stay short.
  if ((size() + 1) * 10 > slots_.size() * 7) grow_slots();
  const std::size_t hash = hash_of(name);
  const std::size_t slot = slot_of(name, hash);
  if (slots_[slot] != kNoId) return slots_[slot];
  const auto id = static_cast<std::uint32_t>(size());
  arena_.append(name);
  offsets_.push_back(arena_.size());
  slots_[slot] = id;
  return id;
}

std::uint32_t Dictionary::find(std::string_view name) const {
  if (slots_.empty()) return kNoId;
  return slots_[slot_of(name, hash_of(name))];
}

std::vector<std::string_view> Dictionary::names() const {
  std::vector<std::string_view> out;
  out.reserve(size());
  for (std::uint32_t id = 0; id < size(); ++id) out.push_back(name(id));
  return out;
}

std::size_t Dictionary::memory_bytes() const {
  return arena_.capacity() + offsets_.capacity() * sizeof(std::uint64_t) +
         slots_.capacity() * sizeof(std::uint32_t);
}

void Dictionary::reserve(std::size_t names, std::size_t bytes) {
  arena_.reserve(bytes);
  offsets_.reserve(names + 1);
}

}  // namespace hubguard::stars
