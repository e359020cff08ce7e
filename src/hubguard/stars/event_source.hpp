// Anything detection input can be built from: events in time order plus a way to turn ids
// back into names. Implemented by in-memory tables (archive files parsed now) and by the
// on-disk event store; the builder reads a source twice (find stargazers, then summarise
// them), so a source is a re-readable scan, not a one-shot stream.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/event.hpp"
#include "hubguard/stars/event_table.hpp"

namespace hubguard::stars {

// Half-open [from, to) on event time, epoch seconds UTC.
struct TimeWindow {
  std::int64_t from = std::numeric_limits<std::int64_t>::min();
  std::int64_t to = std::numeric_limits<std::int64_t>::max();
  bool contains(std::int64_t t) const { return t >= from && t < to; }
};

enum class NameKind { kActor, kRepo, kOrg };

using EventBatchFn = std::function<void(std::span<const Event>)>;

class EventSource {
 public:
  virtual ~EventSource() = default;
  virtual std::size_t id_count(NameKind kind) const = 0;
  // Calls `fn` with consecutive batches of the window's events, in time order.
  virtual Result<bool> scan(const TimeWindow& window, const EventBatchFn& fn) const = 0;
  // Names of `ids` (ascending, distinct), in the same order.
  virtual Result<std::vector<std::string>> names(NameKind kind, std::span<const std::uint32_t> ids) const = 0;
};

// Over an EventTable sorted by time (read_archives gives one).
class TableEventSource final : public EventSource {
 public:
  explicit TableEventSource(const EventTable& table) : table_(table) {}
  std::size_t id_count(NameKind kind) const override;
  Result<bool> scan(const TimeWindow& window, const EventBatchFn& fn) const override;
  Result<std::vector<std::string>> names(NameKind kind, std::span<const std::uint32_t> ids) const override;

 private:
  const EventTable& table_;
};

}  // namespace hubguard::stars
