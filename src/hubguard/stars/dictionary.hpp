// Dictionary encoding of names (account logins, repository names, organisations): each
// distinct string gets a dense 32-bit id in first-seen order. The stars engine works on
// ids only; names come back at output time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hubguard::stars {

inline constexpr std::uint32_t kNoId = 0xFFFFFFFFu;

class Dictionary {
 public:
  std::uint32_t intern(std::string_view name) {
    auto it = ids_.find(name);
    if (it != ids_.end()) return it->second;
    auto id = static_cast<std::uint32_t>(names_.size());
    names_.emplace_back(name);
    ids_.emplace(names_.back(), id);
    return id;
  }
  std::uint32_t find(std::string_view name) const {
    auto it = ids_.find(name);
    return it == ids_.end() ? kNoId : it->second;
  }
  const std::string& name(std::uint32_t id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // std::deque would keep references stable too; a vector of strings is fine because the
  // map's keys are std::string copies (heterogeneous lookup by string_view).
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> ids_;
};

}  // namespace hubguard::stars
