#include "hubguard/scan/python/value.hpp"

namespace hubguard::scan::python {

bool Value::tainted() const {
  for (const auto& f : facts)
    if (f) return true;
  return false;
}

void merge_taint(Value& into, const Value& from) {
  for (int k = 0; k < kTaintKinds; ++k)
    if (!into.facts[k] && from.facts[k]) into.facts[k] = from.facts[k];
  into.handles |= from.handles;
}

Value join(const Value& a, const Value& b) {
  Value out = taint_of(a);
  merge_taint(out, b);
  if (a.str && b.str && *a.str == *b.str) out.str = a.str;
  if (a.qual == b.qual) {
    out.qual = a.qual;
    out.bound_self = a.bound_self && b.bound_self;
  }
  if (a.type == b.type) out.type = a.type;
  if (a.integer && b.integer && *a.integer == *b.integer) out.integer = a.integer;
  if (!a.written_path.empty())
    out.written_path = a.written_path;
  else
    out.written_path = b.written_path;
  return out;
}

Value taint_of(const Value& v) {
  Value out;
  out.facts = v.facts;
  out.handles = v.handles;
  return out;
}

Value with_step(const Value& v, const std::string& what, std::uint32_t line) {
  if (!v.tainted()) return v;
  Value out = v;
  for (auto& f : out.facts) {
    if (!f) continue;
    if (!f->path.empty() && f->path.back().what == what) continue;
    auto next = std::make_shared<Fact>(*f);
    // Keep the source and the most recent steps: the middle of a long path says little.
    if (next->path.size() >= kMaxPathSteps) next->path.erase(next->path.begin() + 1);
    next->path.push_back({what, line});
    f = std::move(next);
  }
  return out;
}

FactPtr make_fact(Taint kind, std::string label, std::string what, std::uint32_t line,
                  bool from_socket) {
  auto f = std::make_shared<Fact>();
  f->kind = kind;
  f->from_socket = from_socket;
  f->label = std::move(label);
  f->path.push_back({std::move(what), line});
  return f;
}

std::string render_path(const Fact& fact) {
  std::string out;
  for (const auto& step : fact.path) {
    if (!out.empty()) out += " -> ";
    out += step.what + " (line " + std::to_string(step.line) + ")";
  }
  return out;
}

bool is_reference(const std::string& qual) {
  return !qual.empty() && qual.front() == '<';
}

}  // namespace hubguard::scan::python
