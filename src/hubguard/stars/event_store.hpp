// The on-disk event store: a directory holding every ingested archive event, reduced to
// (time, kind, actor, repo, org) with dictionary-encoded names, so detection over months or
// years re-runs without re-parsing JSON.
//   DIR/MANIFEST                       table of contents (store_manifest.hpp), atomically replaced
//   DIR/actors.dict repos.dict orgs.dict  append-only name lists; id = position
//   DIR/seg-NNNNNN.evs                 immutable time-sorted segments (event_segment.hpp), mmapped
// Each ingest appends one segment per batch of hours. Hours may arrive in any order: every
// segment is sorted, readers merge segments whose time ranges overlap (k-way, ties in segment
// order), and compaction rewrites segments into one sorted run. Files already ingested
// (same name and size) are skipped. Opening verifies magic, versions, sizes and checksums:
// a corrupt or truncated store is an error naming the file, never a crash or wrong data.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/detection_input.hpp"
#include "hubguard/stars/event_source.hpp"
#include "hubguard/stars/event_table.hpp"
#include "hubguard/stars/store_manifest.hpp"

namespace hubguard::stars {

bool is_event_store(const std::filesystem::path& path);

class EventStore final : public EventSource {
 public:
  static Result<EventStore> open(const std::filesystem::path& dir);

  std::size_t id_count(NameKind kind) const override;
  Result<bool> scan(const TimeWindow& window, const EventBatchFn& fn) const override;
  Result<std::vector<std::string>> names(NameKind kind, std::span<const std::uint32_t> ids) const override;

  const StoreManifest& manifest() const { return manifest_; }
  std::uint64_t events() const;
  std::uint64_t segment_bytes() const;     // event data on disk (headers + records + index)
  std::uint64_t dictionary_bytes() const;  // names on disk

 private:
  std::filesystem::path dir_;
  StoreManifest manifest_;
  std::vector<std::shared_ptr<const SegmentReader>> segments_;  // manifest order
};

struct AppendResult {
  std::uint64_t events = 0;
  std::uint64_t new_actors = 0, new_repos = 0, new_orgs = 0;
  std::uint64_t segment_bytes = 0;
};

// Appends a time-sorted table (read_archives output) as one new segment and records
// `sources` as ingested. Creates the store if DIR does not exist or is empty. One writer at
// a time (DIR/LOCK).
Result<AppendResult> append_to_store(const std::filesystem::path& dir, const EventTable& table,
                                     const std::vector<StoreSource>& sources);

// Merges the segments from position `first` (in manifest order) to the end into one.
Result<bool> compact_store(const std::filesystem::path& dir, std::size_t first = 0);

Result<DetectionInput> detection_input_from_store(const std::filesystem::path& dir, const TimeWindow& window = {});

}  // namespace hubguard::stars
