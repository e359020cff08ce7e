#include "hubguard/stars/time_chunks.hpp"

#include <algorithm>

#include "hubguard/stars/utc_calendar.hpp"

namespace hubguard::stars {

std::vector<TimeChunk> make_time_chunks(std::span<const Star> stars, std::uint32_t months,
                                        std::uint32_t step) {
  std::vector<TimeChunk> out;
  if (stars.empty()) return out;
  months = std::max(1u, months);
  step = std::max(1u, step);
  const std::int64_t last = stars.back().time;
  auto by_time = [](const Star& s, std::int64_t t) { return s.time < t; };
  for (std::int64_t m = month_index(stars.front().time);; m += step) {
    TimeChunk c;
    c.begin = month_start(m);
    c.end = month_start(m + months);
    c.first_star = static_cast<std::size_t>(
        std::lower_bound(stars.begin(), stars.end(), c.begin, by_time) - stars.begin());
    c.last_star = static_cast<std::size_t>(
        std::lower_bound(stars.begin(), stars.end(), c.end, by_time) - stars.begin());
    out.push_back(c);
    if (c.end > last) break;
  }
  return out;
}

}  // namespace hubguard::stars
