// UTC calendar bucketing for detection: days and calendar months (CopyCatch chunks and campaign
// months are calendar months). Proleptic Gregorian, no time zones, no locale. Parsing and
// formatting archive timestamps (and days_from_civil) live in timestamp.hpp.
#pragma once

#include <cstdint>
#include <string>

namespace hubguard::stars {

struct CivilDate {
  int year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};

CivilDate civil_from_days(std::int64_t days);

// Floor division by a day, correct for negative times.
inline std::int64_t utc_day(std::int64_t t) {
  return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

// Months since 1970-01 (negative before): the key of a calendar month.
std::int64_t month_index(std::int64_t t);
std::int64_t month_start(std::int64_t month_index);  // Unix seconds of the month's first instant
std::string format_month(std::int64_t month_index);  // "YYYY-MM"

}  // namespace hubguard::stars
