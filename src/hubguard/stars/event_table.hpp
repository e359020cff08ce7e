// Events in memory with their own dictionaries: what one archive file parses into, and what
// many files merge into (in file order, so ids and tie order are deterministic). The event
// store appends tables; detection reads them directly when no store is used.
#pragma once

#include <vector>

#include "hubguard/stars/dictionary.hpp"
#include "hubguard/stars/event.hpp"

namespace hubguard::stars {

struct EventTable {
  Dictionary actors;
  Dictionary repos;
  Dictionary orgs;
  std::vector<Event> events;
};

// Appends `part` to `into`, re-interning its names; `part`'s events keep their order.
void append_table(EventTable& into, const EventTable& part);

// Stable sort by time: events of equal time keep file order.
void sort_by_time(EventTable& table);

}  // namespace hubguard::stars
