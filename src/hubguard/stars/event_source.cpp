#include "hubguard/stars/event_source.hpp"

#include <algorithm>

namespace hubguard::stars {
namespace {
const Dictionary& dictionary(const EventTable& t, NameKind kind) {
  switch (kind) {
    case NameKind::kActor: return t.actors;
    case NameKind::kRepo: return t.repos;
    case NameKind::kOrg: break;
  }
  return t.orgs;
}
}  // namespace

std::size_t TableEventSource::id_count(NameKind kind) const { return dictionary(table_, kind).size(); }

Result<bool> TableEventSource::scan(const TimeWindow& window, const EventBatchFn& fn) const {
  const auto& ev = table_.events;
  auto first = std::lower_bound(ev.begin(), ev.end(), window.from,
                                [](const Event& e, std::int64_t t) { return e.time < t; });
  auto last = std::lower_bound(first, ev.end(), window.to,
                               [](const Event& e, std::int64_t t) { return e.time < t; });
  constexpr std::ptrdiff_t kBatch = 1 << 16;
  for (auto it = first; it < last;) {
    auto end = last - it > kBatch ? it + kBatch : last;
    fn(std::span<const Event>(&*it, static_cast<std::size_t>(end - it)));
    it = end;
  }
  return true;
}

Result<std::vector<std::string>> TableEventSource::names(NameKind kind,
                                                         std::span<const std::uint32_t> ids) const {
  const Dictionary& d = dictionary(table_, kind);
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (auto id : ids) {
    if (id >= d.size()) return make_error("name id out of range");
    out.emplace_back(d.name(id));
  }
  return out;
}

}  // namespace hubguard::stars
