// What reading one archive file saw, so that nothing is dropped silently: every line is an
// event, or counted as malformed (not JSON, or JSON that is not an object) or unknown_shape
// (an object without a login, a parsable created_at or a type). A gzip stream that ends early
// or breaks is `truncated` (with the reason in `error`); the lines decoded before the break
// are kept.
#pragma once

#include <cstdint>
#include <string>

namespace hubguard::stars {

struct IngestStats {
  std::uint64_t lines = 0;          // non-empty lines
  std::uint64_t events = 0;         // lines that became events
  std::uint64_t stars = 0;          // events that are stars
  std::uint64_t malformed = 0;      // not a JSON object, or broken JSON
  std::uint64_t truncated = 0;      // 1 if the compressed stream was cut or corrupt
  std::uint64_t unknown_shape = 0;  // JSON object without the fields of either era
  std::uint64_t bytes_in = 0;       // bytes read from disk
  std::uint64_t bytes_out = 0;      // bytes after decompression
  std::uint64_t files = 0;          // files that contributed (1 per file; summed in totals)
  std::string error;                // first I/O or decompression problem, empty if none

  void add(const IngestStats& other) {
    lines += other.lines;
    events += other.events;
    stars += other.stars;
    malformed += other.malformed;
    truncated += other.truncated;
    unknown_shape += other.unknown_shape;
    bytes_in += other.bytes_in;
    bytes_out += other.bytes_out;
    files += other.files;
    if (error.empty()) error = other.error;
  }
};

}  // namespace hubguard::stars
