#include "hubguard/stars/repo_verdict_text.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>

#include "hubguard/stars/timestamp.hpp"
#include "hubguard/stars/utc_calendar.hpp"

namespace hubguard::stars {
namespace {

constexpr std::size_t kSparkWidth = 72;

// Repository names and logins come from the archive: keep control bytes off the terminal.
std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string day_text(std::int64_t t) { return format_iso8601_utc(t).substr(0, 10); }

// Monday-based week number (1970-01-01 was a Thursday, so shift by 3 days).
std::int64_t week_of_day(std::int64_t day) {
  const std::int64_t d = day + 3;
  return d >= 0 ? d / 7 : -((-d + 6) / 7);
}

}  // namespace

std::string_view repo_verdict(const RepoStarEvidence& e) {
  if (e.campaign) return "campaign";
  if (e.counts.fake > 0) return "fake stars";
  return "none";
}

std::string sparkline(const std::vector<std::uint64_t>& values, std::uint64_t max) {
  static constexpr std::array<std::string_view, 8> kBars = {"▁", "▂", "▃", "▄",
                                                            "▅", "▆", "▇", "█"};
  std::string out;
  for (std::uint64_t v : values) {
    if (v == 0 || max == 0) {
      out += ' ';
      continue;
    }
    const auto level = std::min<std::uint64_t>(7, (v * 8 - 1) / max);
    out += kBars[level];
  }
  return out;
}

std::string gharchive_hour_file(std::int64_t t) {
  const std::string iso = format_iso8601_utc(t);  // YYYY-MM-DDTHH:MM:SSZ
  const int hour = std::stoi(iso.substr(11, 2));
  return fmt::format("{}-{}.json.gz", iso.substr(0, 10), hour);
}

void write_repo_verdict(const RepoStarEvidence& e, std::ostream& out) {
  const auto& c = e.counts;
  const std::string_view verdict = repo_verdict(e);
  out << printable(e.repo) << ": "
      << (verdict == "campaign" ? "FAKE-STAR CAMPAIGN"
                                : verdict == "fake stars" ? "some fake stars, no campaign"
                                                          : "no fake stars found")
      << '\n';
  out << fmt::format("  stars    {} from {} to {}\n", c.total, day_text(e.first_star),
                     day_text(e.last_star));
  out << fmt::format("  fake     {} ({:.1f}% of all stars): low_activity {}, lockstep {}, both {}\n",
                     c.fake, 100.0 * e.fake_share, c.low_activity, c.lockstep, c.both);
  if (c.suspected)
    out << fmt::format("  cleared  {} more labelled by a signature but screened as real users\n",
                       c.suspected);
  out << fmt::format("  organic  {}\n", c.organic());
  if (e.campaign) {
    out << "  campaign months (>= 50 fake stars and >= 50% of the month's stars):";
    for (auto m : e.campaign->anomalous_months) {
      const auto it = std::find_if(e.months.begin(), e.months.end(),
                                   [&](const StarPeriod& p) { return p.key == m; });
      out << ' ' << format_month(m);
      if (it != e.months.end()) out << fmt::format(" ({} fake of {})", it->fake, it->total());
    }
    out << fmt::format("\n  fake stars from {} to {}\n", format_iso8601_utc(e.campaign->first_fake),
                       format_iso8601_utc(e.campaign->last_fake));
  } else if (e.reference_campaign) {
    out << "  the reference rules (without the false-positive screen) would call it a campaign\n";
  }
  if (c.low_activity + c.both)
    out << fmt::format("  signature low_activity: {} stars from accounts whose whole activity is one "
                       "day, <= 2 timestamps, one repository\n",
                       c.low_activity + c.both);
  if (!e.clusters.empty()) {
    out << fmt::format("  signature lockstep: in {} cluster(s) of accounts starring the same "
                       "repositories within days of each other\n",
                       e.clusters.size());
    for (const auto& cl : e.clusters) {
      const auto marked = std::count_if(cl.repos.begin(), cl.repos.end(),
                                        [](const ClusterRepoEvidence& r) { return r.marked; });
      out << fmt::format(
          "    cluster #{}: {} accounts, {} repositories ({} with labelled stars), chunk {} .. {}; "
          "{} of its accounts starred this repository, stars {} .. {}{}\n",
          cl.index, cl.users, cl.repos.size(), marked, day_text(cl.chunk_begin),
          day_text(cl.chunk_end), cl.this_repo_stars, day_text(cl.first), day_text(cl.last),
          cl.community ? "; screened as a real community" : "");
    }
  }
  if (!e.days.empty()) {
    // Weekly buckets from the first to the last star, merged to fit the width.
    const std::int64_t w0 = week_of_day(e.days.front().key);
    const std::int64_t weeks = week_of_day(e.days.back().key) - w0 + 1;
    const std::int64_t per = (weeks + static_cast<std::int64_t>(kSparkWidth) - 1) /
                             static_cast<std::int64_t>(kSparkWidth);
    const auto buckets = static_cast<std::size_t>((weeks + per - 1) / per);
    std::vector<std::uint64_t> all(buckets), fake(buckets);
    for (const auto& d : e.days) {
      const auto b = static_cast<std::size_t>((week_of_day(d.key) - w0) / per);
      all[b] += d.total();
      fake[b] += d.fake;
    }
    const std::uint64_t max = *std::max_element(all.begin(), all.end());
    out << fmt::format("  stars per {} (from the week of {}; tallest = {} stars):\n",
                       per == 1 ? std::string("week") : fmt::format("{} weeks", per),
                       day_text((w0 * 7 - 3) * 86400), max);
    out << "    all  |" << sparkline(all, max) << "|\n";
    out << "    fake |" << sparkline(fake, max) << "|\n";
  }
  if (!e.sample.empty()) {
    out << "  sample fake stars (earliest first; each is a WatchEvent in the named GH Archive "
           "hour file):\n";
    for (const auto& s : e.sample)
      out << fmt::format("    {:<24} {}  {:<12} {}  account: {} events, {} .. {}\n",
                         printable(s.login), format_iso8601_utc(s.starred_at), s.signature,
                         gharchive_hour_file(s.starred_at), s.events,
                         format_iso8601_utc(s.first_event), format_iso8601_utc(s.last_event));
  }
}

}  // namespace hubguard::stars
