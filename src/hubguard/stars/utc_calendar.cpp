#include "hubguard/stars/utc_calendar.hpp"

#include <cstdio>

#include "hubguard/stars/timestamp.hpp"

namespace hubguard::stars {

// The inverse of timestamp.hpp's days_from_civil (the well-known era/day-of-era arithmetic,
// written here from the published description): shift the year to start in March.
CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int>(year), month, day};
}

std::int64_t month_index(std::int64_t t) {
  CivilDate d = civil_from_days(utc_day(t));
  return (static_cast<std::int64_t>(d.year) - 1970) * 12 + (d.month - 1);
}

std::int64_t month_start(std::int64_t index) {
  std::int64_t year = 1970 + (index >= 0 ? index / 12 : -((-index + 11) / 12));
  auto month = static_cast<unsigned>(index - (year - 1970) * 12 + 1);
  return days_from_civil(static_cast<int>(year), month, 1) * 86400;
}

std::string format_month(std::int64_t index) {
  CivilDate d = civil_from_days(utc_day(month_start(index)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u", d.year, d.month);
  return buf;
}

}  // namespace hubguard::stars
