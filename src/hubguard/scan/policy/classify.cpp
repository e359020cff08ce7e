#include "hubguard/scan/policy/classify.hpp"

#include <unordered_map>
#include <vector>

#include "hubguard/scan/policy/callable_rules.hpp"

namespace hubguard::scan::policy {

namespace {

struct Index {
  std::unordered_map<std::string_view, std::vector<const Rule*>> by_path;
  std::vector<const Rule*> name_prefix;
};

const Index& index() {
  static const Index idx = [] {
    Index i;
    for (const Rule& r : callable_rules()) {
      if (r.match == Match::name_prefix)
        i.name_prefix.push_back(&r);
      else
        i.by_path[r.path].push_back(&r);
    }
    return i;
  }();
  return idx;
}

bool is_dunder(std::string_view c) {
  return c.size() > 4 && c.substr(0, 2) == "__" && c.substr(c.size() - 2) == "__";
}

bool capitalised(std::string_view c) { return !c.empty() && c.front() >= 'A' && c.front() <= 'Z'; }

Classification from_rule(const Rule& r, std::string path) {
  Classification c;
  c.safety = r.safety;
  c.category = r.safety == Safety::dangerous ? r.category : std::string_view{};
  c.reason = std::string(r.reason);
  c.path = std::move(path);
  c.instantiates_first_argument = c.path == "copyreg._reconstructor" ||
                                  c.path == "copyreg.__newobj__" ||
                                  c.path == "copyreg.__newobj_ex__";
  return c;
}

}  // namespace

std::string canonical_path(std::string_view module, std::string_view name) {
  std::string m(module);
  for (const Alias& a : module_aliases()) {
    if (m == a.from || (m.size() > a.from.size() && m.compare(0, a.from.size(), a.from) == 0 &&
                        m[a.from.size()] == '.')) {
      m = std::string(a.to) + m.substr(a.from.size());
      break;
    }
  }
  if (name.empty()) return m;
  if (m.empty()) return std::string(name);
  return m + "." + std::string(name);
}

Classification classify(std::string_view module, std::string_view name) {
  return classify_path(canonical_path(module, name));
}

Classification classify_path(std::string_view raw_path) {
  // Fold aliases again in case the caller built the path itself.
  std::string path = canonical_path(raw_path, "");
  std::vector<std::string_view> parts;
  {
    std::string_view rest = path;
    while (true) {
      auto dot = rest.find('.');
      parts.push_back(rest.substr(0, dot));
      if (dot == std::string_view::npos) break;
      rest.remove_prefix(dot + 1);
    }
  }
  const std::string_view last = parts.back();

  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (!is_dunder(parts[i])) continue;
    bool allowed = false;
    for (auto a : allowed_dunders()) allowed = allowed || a == parts[i];
    if (allowed) continue;
    Classification c;
    c.safety = Safety::dangerous;
    c.category = kObfuscation;
    c.reason = "reaches interpreter internals through the attribute " + std::string(parts[i]);
    c.path = path;
    return c;
  }

  const Index& idx = index();
  if (auto it = idx.by_path.find(path); it != idx.by_path.end()) {
    for (const Rule* r : it->second)
      if (r->match == Match::exact || r->match == Match::tree) return from_rule(*r, path);
  }
  for (const Rule* r : idx.name_prefix) {
    if (path.size() > r->path.size() && std::string_view(path).substr(0, r->path.size()) == r->path &&
        path.find('.', r->path.size()) == std::string::npos)
      return from_rule(*r, path);
  }
  if (last == "from_pretrained" && parts.size() > 1) {
    Classification c;
    c.safety = Safety::dangerous;
    c.category = kDownloader;
    c.reason = "downloads models and possibly remote code";
    c.path = path;
    return c;
  }
  // Longest enclosing module rule.
  std::size_t end = path.size();
  while (true) {
    end = std::string_view(path).substr(0, end).rfind('.');
    if (end == std::string_view::npos) break;
    std::string_view prefix = std::string_view(path).substr(0, end);
    auto it = idx.by_path.find(prefix);
    if (it == idx.by_path.end()) continue;
    for (const Rule* r : it->second) {
      if (r->match == Match::tree) return from_rule(*r, path);
      if (r->match == Match::classes && capitalised(last)) return from_rule(*r, path);
    }
  }

  Classification c;
  c.safety = Safety::unknown;
  c.path = path;
  c.reason = parts.front().size() > 1 && parts.front().front() == '_' && parts.front() != "__main__"
                 ? "private interpreter or extension module"
                 : "not in the policy";
  return c;
}

std::string_view to_string(Safety s) {
  switch (s) {
    case Safety::safe: return "safe";
    case Safety::dangerous: return "dangerous";
    case Safety::unknown: return "unknown";
  }
  return "?";
}

}  // namespace hubguard::scan::policy
