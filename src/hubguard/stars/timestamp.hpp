// Timestamps in GH Archive data, as epoch seconds UTC. The archive wrote three shapes over its
// history: "2015-01-01T12:00:01Z" (Events API, 2015+), "2012-03-10T15:27:06-08:00" and
// "2011/05/01 12:00:00 -0700" (Timeline API, 2011-2014, local Pacific time with an offset).
// Parsing is hand-written because it runs once per event (hundreds of millions of times)
// and must not depend on the process locale or time zone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hubguard::stars {

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12, day 1..31).
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

// Any of the archive's shapes, with optional fractional seconds (dropped) and an optional
// offset ("Z", "+hh:mm", "+hhmm", " -0700"); no offset means UTC. nullopt if malformed.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ", the archive's 2015+ form.
std::string format_iso8601_utc(std::int64_t epoch_seconds);

// A window bound for CLI options: "YYYY", "YYYY-MM", "YYYY-MM-DD", or any parse_timestamp
// form. Dates mean midnight UTC at their start.
std::optional<std::int64_t> parse_window_bound(std::string_view text);

}  // namespace hubguard::stars
