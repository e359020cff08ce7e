// One immutable, time-sorted run of events in the event store (a file per ingest batch).
// Layout: a 64-byte header (magic "HGEVSEG1", version, event count, min/max time, data size,
// index size, CRC-32 of data+index), then one record per event —
//   flags byte (kind in the low 5 bits, 0x20 = has repo, 0x40 = has org),
//   varint time delta from the previous event, varint actor id, [varint repo], [varint org] —
// then a sparse index: every kIndexStride events, (byte offset, time of the event before),
// so a reader can start at a window's --from without decoding the segment's head.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "hubguard/core/mapped_file.hpp"
#include "hubguard/core/result.hpp"
#include "hubguard/stars/event.hpp"

namespace hubguard::stars {

inline constexpr std::uint32_t kSegmentVersion = 1;
inline constexpr std::size_t kSegmentHeaderBytes = 64;
inline constexpr std::uint64_t kIndexStride = 4096;

struct SegmentInfo {
  std::uint64_t events = 0;
  std::int64_t min_time = 0;
  std::int64_t max_time = 0;
  std::uint64_t file_bytes = 0;
};

// Streams events (in time order) to a new segment file.
class SegmentWriter {
 public:
  static Result<SegmentWriter> create(const std::filesystem::path& path);
  SegmentWriter(SegmentWriter&& other) noexcept;
  SegmentWriter& operator=(SegmentWriter&&) = delete;
  SegmentWriter(const SegmentWriter&) = delete;
  ~SegmentWriter();

  // Events must come with non-decreasing time.
  Result<bool> add(const Event& e);
  Result<SegmentInfo> finish();

 private:
  SegmentWriter() = default;
  Result<bool> flush();

  std::FILE* file_ = nullptr;
  std::filesystem::path path_;
  std::vector<std::uint8_t> buffer_;
  std::vector<std::uint8_t> index_;
  std::uint64_t data_bytes_ = 0;
  std::uint64_t events_ = 0;
  std::int64_t min_time_ = 0, prev_time_ = 0;
  std::uint32_t crc_ = 0;
};

// A mapped, verified segment.
class SegmentReader {
 public:
  // Checks magic, version, sizes and CRC; `expect` (from the manifest) must agree.
  static Result<SegmentReader> open(const std::filesystem::path& path, const SegmentInfo& expect);

  const SegmentInfo& info() const { return info_; }

  // Decodes events with time in [from, to) into `out` (cleared first), in order, starting
  // from the sparse index; resumable: call again with the returned cursor until it is done.
  struct Cursor {
    std::uint64_t offset = 0;   // into the data section
    std::uint64_t decoded = 0;  // events decoded so far
    std::int64_t prev_time = 0;
    bool started = false;
    bool done = false;
  };
  Result<bool> next_batch(Cursor& cursor, std::int64_t from, std::int64_t to, std::size_t max_events,
                          std::vector<Event>& out) const;

 private:
  MappedFile map_;
  SegmentInfo info_;
  std::uint64_t data_bytes_ = 0;
  std::uint64_t index_entries_ = 0;
};

}  // namespace hubguard::stars
