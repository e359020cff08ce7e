#include "hubguard/stars/timestamp.hpp"

#include <cstdio>

namespace hubguard::stars {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    auto d = static_cast<unsigned>(s[i] - '0');
    if (d > 9) return false;
    v = v * 10 + static_cast<int>(d);
  }
  out = v;
  return true;
}

unsigned days_in_month(int year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
  // Shift the year to start in March so the leap day is the last day of the "year"; then
  // count whole 400-year eras (146097 days each) and the day within the era.
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(y - era * 400);
  const unsigned shifted_month = month > 2 ? month - 3 : month + 9;
  const unsigned day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

std::optional<std::int64_t> parse_timestamp(std::string_view s) {
  // YYYY?MM?DD?hh:mm:ss — separators are '-' or '/' for the date and 'T' or ' ' before time.
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(s, 0, 4, year) || s.size() < 19) return std::nullopt;
  const char ds = s[4];
  if ((ds != '-' && ds != '/') || s[7] != ds) return std::nullopt;
  if (!digits(s, 5, 2, month) || !digits(s, 8, 2, day)) return std::nullopt;
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  if (!digits(s, 11, 2, hour) || s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' ||
      !digits(s, 17, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month)) || hour > 23 ||
      minute > 59 || second > 60)
    return std::nullopt;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  if (pos < s.size() && s[pos] == ' ') ++pos;  // "2011/05/01 12:00:00 -0700"
  std::int64_t offset = 0;
  if (pos < s.size()) {
    const char c = s[pos];
    if (c == 'Z' && pos + 1 == s.size()) {
      pos += 1;
    } else if (c == '+' || c == '-') {
      int oh = 0, om = 0;
      if (!digits(s, pos + 1, 2, oh)) return std::nullopt;
      std::size_t mpos = pos + 3;
      if (mpos < s.size() && s[mpos] == ':') ++mpos;
      if (!digits(s, mpos, 2, om) || mpos + 2 != s.size() || oh > 23 || om > 59)
        return std::nullopt;
      offset = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
      pos = s.size();
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  // Local time = UTC + offset, so UTC = local - offset.
  return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

std::string format_iso8601_utc(std::int64_t t) {
  std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  std::int64_t secs = t - days * 86400;
  // Inverse of days_from_civil (same March-based era arithmetic).
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m, d,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

std::optional<std::int64_t> parse_window_bound(std::string_view s) {
  int year = 0, month = 1, day = 1;
  if (s.size() == 4 && digits(s, 0, 4, year)) return days_from_civil(year, 1, 1) * 86400;
  if (s.size() == 7 && digits(s, 0, 4, year) && s[4] == '-' && digits(s, 5, 2, month) &&
      month >= 1 && month <= 12)
    return days_from_civil(year, static_cast<unsigned>(month), 1) * 86400;
  if (s.size() == 10 && digits(s, 0, 4, year) && s[4] == '-' && digits(s, 5, 2, month) &&
      s[7] == '-' && digits(s, 8, 2, day) && month >= 1 && month <= 12 && day >= 1 &&
      static_cast<unsigned>(day) <= days_in_month(year, static_cast<unsigned>(month)))
    return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400;
  return parse_timestamp(s);
}

}  // namespace hubguard::stars
