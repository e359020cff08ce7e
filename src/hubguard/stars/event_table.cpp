#include "hubguard/stars/event_table.hpp"

#include <algorithm>

namespace hubguard::stars {
namespace {

std::vector<std::uint32_t> remap(Dictionary& into, const Dictionary& from) {
  std::vector<std::uint32_t> ids(from.size());
  for (std::size_t i = 0; i < from.size(); ++i) ids[i] = into.intern(from.name(static_cast<std::uint32_t>(i)));
  return ids;
}

}  // namespace

void append_table(EventTable& into, const EventTable& part) {
  const auto actor_ids = remap(into.actors, part.actors);
  const auto repo_ids = remap(into.repos, part.repos);
  const auto org_ids = remap(into.orgs, part.orgs);
  // Grow geometrically: an exact reserve per appended file reallocates (and copies, and
  // faults in) the whole table once per file, quadratic over thousands of hour files.
  const std::size_t need = into.events.size() + part.events.size();
  if (need > into.events.capacity()) into.events.reserve(std::max(need, 2 * into.events.capacity()));
  for (Event e : part.events) {
    e.actor = actor_ids[e.actor];
    if (e.repo != kNoId) e.repo = repo_ids[e.repo];
    if (e.org != kNoId) e.org = org_ids[e.org];
    into.events.push_back(e);
  }
}

void sort_by_time(EventTable& table) {
  auto& ev = table.events;
  if (std::is_sorted(ev.begin(), ev.end(), [](const Event& a, const Event& b) { return a.time < b.time; }))
    return;
  std::stable_sort(ev.begin(), ev.end(), [](const Event& a, const Event& b) { return a.time < b.time; });
}

}  // namespace hubguard::stars
