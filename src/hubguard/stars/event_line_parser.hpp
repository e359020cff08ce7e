// Parses one GH Archive JSON line into the few fields detection needs, for both eras:
// 2015+ {"type", "actor":{"login"}, "repo":{"name"}, "org":{"login"}, "payload":{"action"},
// "created_at"} and the 2011-2014 Timeline shape {"type", "actor":"login",
// "actor_attributes":{"login"}, "repository":{"owner","name","organization"}, "created_at"}.
// The parser walks the top-level object once, in whatever key order the line has, and skips
// every value it does not need without materialising it (simdjson On Demand).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace hubguard::stars {

enum class LineStatus { kEvent, kMalformed, kUnknownShape };

// Views into the parser's buffers (or `scratch`); valid until the next parse call.
struct ParsedLine {
  std::string_view type;
  std::string_view actor;
  std::string_view repo;  // "owner/name"; empty when the event has no repository
  std::string_view org;   // empty when none
  std::string_view action;  // payload.action, only read for WatchEvent
  std::int64_t time = 0;
};

// Names longer than this are treated as an unknown shape (GitHub logins are <= 39 bytes,
// repository names <= 100 + owner): bounds what a hostile line can put in the dictionaries.
inline constexpr std::size_t kMaxNameBytes = 512;

class EventLineParser {
 public:
  // `line` must stay readable for simdjson::SIMDJSON_PADDING bytes past its end
  // (`capacity` >= line.size() + SIMDJSON_PADDING).
  LineStatus parse(const char* line, std::size_t size, std::size_t capacity, ParsedLine& out);

 private:
  simdjson::ondemand::parser parser_;
  std::string repo_scratch_;  // pre-2015 "owner/name" is assembled here
};

}  // namespace hubguard::stars
