// Engine-wide bounds on everything a hostile file controls. Every reader takes its bounds
// from here; hitting one is reported as a finding (rule "limit.*"), never a crash or a
// silent stop. Callers (CLI flags, hub scans) may tighten or loosen them.
#pragma once

#include <cstdint>

namespace hubguard {

struct ScanLimits {
  // Containers.
  unsigned max_depth = 8;                        // nested containers (zip in tar in gzip ...)
  std::uint64_t max_members = 100'000;           // members listed per archive
  std::uint64_t max_member_size = 4ULL << 30;    // one decompressed member
  std::uint64_t max_total_decompressed = 8ULL << 30;  // all decompression for one file
  double max_compression_ratio = 1000.0;         // decompressed / compressed, per member
  std::uint64_t max_scanned_member_size = 512ULL << 20;  // decompress at most this to scan
  // Pickle VM.
  std::uint64_t max_pickle_ops = 50'000'000;
  std::uint64_t max_pickle_memo = 10'000'000;
  std::uint64_t max_pickle_stack = 1'000'000;
  std::uint64_t max_pickle_string = 256ULL << 20;
  std::uint64_t max_pickle_calls_recorded = 100'000;
  std::uint64_t max_pickle_nodes = 8ULL << 20;   // symbolic values built by one pickle
  unsigned max_pickles_per_stream = 4096;        // concatenated pickles in one file
  // Text analysis.
  std::uint64_t max_source_size = 16ULL << 20;   // Python source or code string analysed
  unsigned max_decode_depth = 8;                 // nested base64/zlib/... layers
};

}  // namespace hubguard
