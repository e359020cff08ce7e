// The data behind classify(): one row per rule. Kept apart from the matching logic so the
// tables read as a list a reviewer can audit line by line.
#pragma once

#include <span>
#include <string_view>

#include "hubguard/scan/policy/classify.hpp"

namespace hubguard::scan::policy {

enum class Match : unsigned char {
  exact,        // the dotted path itself
  tree,         // the path and everything below it (submodules, attributes)
  classes,      // below the path, names that look like classes (Capitalised last component)
  name_prefix,  // a last component starting with this text ("torch._utils._rebuild_")
};

struct Rule {
  std::string_view path;
  Match match;
  Safety safety;
  std::string_view category;
  std::string_view reason;
};

struct Alias {
  std::string_view from;  // module prefix as written in pickles
  std::string_view to;
};

std::span<const Rule> callable_rules();
std::span<const Alias> module_aliases();
// Dunder attributes that are part of ordinary pickles (copyreg.__newobj__ ...).
std::span<const std::string_view> allowed_dunders();

}  // namespace hubguard::scan::policy
