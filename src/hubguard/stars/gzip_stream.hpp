// Streaming decompression of a gzip file held in memory (an mmap), chunk by chunk, with
// ISA-L's igzip. Handles multi-member files (concatenated gzip streams, as `cat a.gz b.gz`
// makes) and reports a stream that is cut short or corrupt instead of failing: the bytes
// decoded up to the break are still delivered, so a truncated hour keeps its first events.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "hubguard/core/bytes.hpp"

struct inflate_state;

namespace hubguard::stars {

class GzipStream {
 public:
  explicit GzipStream(Bytes input);
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // Writes up to `capacity` decompressed bytes to `out`; returns how many. 0 means the
  // stream is over: cleanly, or with failed() and a reason in error().
  std::size_t read(std::uint8_t* out, std::size_t capacity);

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  std::uint64_t members() const { return members_; }

 private:
  void feed();
  bool start_next_member();

  Bytes input_;
  std::size_t consumed_ = 0;  // input bytes handed to the inflater so far
  std::unique_ptr<inflate_state> state_;
  bool done_ = false;
  std::uint64_t members_ = 0;
  std::string error_;
};

}  // namespace hubguard::stars
