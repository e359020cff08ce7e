// The GH Archive event line parser (both the 2015+ and the 2011-2014 Timeline shapes). The
// input is one line; it is copied into a buffer with simdjson's padding, as the readers do.
#include <cstring>
#include <vector>

#include "fuzz_support.hpp"
#include "hubguard/stars/event_line_parser.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static stars::EventLineParser parser;  // reused across lines, as a reader thread does
  std::vector<char> buffer(size + simdjson::SIMDJSON_PADDING, '\0');
  std::memcpy(buffer.data(), data, size);
  stars::ParsedLine line;
  const auto status = parser.parse(buffer.data(), size, buffer.size(), line);
  std::uint64_t sum = static_cast<std::uint64_t>(status);
  if (status == stars::LineStatus::kEvent) {
    sum += fuzz::touch(line.type) + fuzz::touch(line.actor) + fuzz::touch(line.repo) +
           fuzz::touch(line.org) + fuzz::touch(line.action) + static_cast<std::uint64_t>(line.time);
    // The dictionaries rely on this bound (names past it are an unknown shape).
    if (line.actor.size() > stars::kMaxNameBytes || line.repo.size() > stars::kMaxNameBytes)
      __builtin_trap();
  }
  fuzz::keep(sum);
  return 0;
}
