// The event store's table of contents (DIR/MANIFEST): dictionary sizes, segments with their
// event counts and time ranges, and the archive files already ingested (so re-running an
// ingest over the same hours does not double them). Binary: magic "HGSTORE1", version, the
// fields, then a CRC-32 of everything before it. Replaced atomically (write + rename), which
// is what makes an append all-or-nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/event_segment.hpp"
#include "hubguard/stars/store_dictionary_file.hpp"

namespace hubguard::stars {

inline constexpr std::uint32_t kStoreVersion = 1;

struct StoreSegment {
  std::uint64_t seq = 0;  // file name seg-<seq>.evs
  SegmentInfo info;
};

struct StoreSource {
  std::string name;  // archive file name (no directory)
  std::uint64_t size = 0;
  std::uint64_t events = 0;
};

struct StoreManifest {
  DictFileInfo actors, repos, orgs;
  std::uint64_t next_seq = 1;
  std::vector<StoreSegment> segments;  // in seq order
  std::vector<StoreSource> sources;    // in ingest order
};

std::filesystem::path manifest_path(const std::filesystem::path& dir);
std::filesystem::path segment_path(const std::filesystem::path& dir, std::uint64_t seq);

Result<StoreManifest> read_manifest(const std::filesystem::path& dir);
Result<bool> write_manifest(const std::filesystem::path& dir, const StoreManifest& manifest);

}  // namespace hubguard::stars
