// CopyCatch runs on overlapping calendar windows ("chunks"): 6 months sliding by 3 months in
// the reference, starting at the month of the first star and continuing until a chunk reaches
// past the last star. 2019-07..2025-01 gives the reference's 21 chunks. Each chunk is a
// contiguous range of the time-sorted star array.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "hubguard/stars/detection_input.hpp"

namespace hubguard::stars {

struct TimeChunk {
  std::int64_t begin = 0;      // Unix seconds, inclusive (first instant of a month)
  std::int64_t end = 0;        // exclusive
  std::size_t first_star = 0;  // index range in the time-sorted stars
  std::size_t last_star = 0;   // exclusive
};

// Chunks covering [first_time, last_time]; empty when `stars` is empty. `months` and `step`
// are clamped to at least 1.
std::vector<TimeChunk> make_time_chunks(std::span<const Star> stars, std::uint32_t months,
                                        std::uint32_t step);

}  // namespace hubguard::stars
