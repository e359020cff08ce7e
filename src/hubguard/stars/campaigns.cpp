#include "hubguard/stars/campaigns.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "hubguard/stars/utc_calendar.hpp"

namespace hubguard::stars {

std::vector<Campaign> find_campaigns(const DetectionInput& input,
                                     std::span<const std::uint8_t> fake, const CampaignParams& p) {
  const std::size_t R = input.repos.size();
  std::vector<std::uint64_t> total(R, 0), faked(R, 0);
  for (std::size_t i = 0; i < input.stars.size(); ++i) {
    const Star& s = input.stars[i];
    if (s.repo >= R) continue;
    ++total[s.repo];
    if (i < fake.size() && fake[i]) ++faked[s.repo];
  }
  // Only repositories that pass the whole-window share need a monthly breakdown.
  std::vector<std::int32_t> slot(R, -1);
  std::vector<std::uint32_t> candidates;
  for (std::uint32_t r = 0; r < R; ++r) {
    if (faked[r] == 0) continue;
    if (static_cast<double>(faked[r]) < p.min_repo_share * static_cast<double>(total[r])) continue;
    slot[r] = static_cast<std::int32_t>(candidates.size());
    candidates.push_back(r);
  }
  struct MonthCount {
    std::uint64_t fake = 0, total = 0;
  };
  std::vector<std::map<std::int64_t, MonthCount>> months(candidates.size());
  std::vector<Campaign> rows(candidates.size());
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    rows[k].first_fake = std::numeric_limits<std::int64_t>::max();
    rows[k].last_fake = std::numeric_limits<std::int64_t>::min();
  }
  for (std::size_t i = 0; i < input.stars.size(); ++i) {
    const Star& s = input.stars[i];
    if (s.repo >= R || slot[s.repo] < 0) continue;
    const auto k = static_cast<std::size_t>(slot[s.repo]);
    MonthCount& mc = months[k][month_index(s.time)];
    ++mc.total;
    if (i < fake.size() && fake[i]) {
      ++mc.fake;
      rows[k].first_fake = std::min(rows[k].first_fake, s.time);
      rows[k].last_fake = std::max(rows[k].last_fake, s.time);
    }
  }
  std::vector<Campaign> out;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    Campaign& c = rows[k];
    for (const auto& [month, mc] : months[k])
      if (mc.fake >= p.min_month_fake &&
          static_cast<double>(mc.fake) >= p.min_month_share * static_cast<double>(mc.total))
        c.anomalous_months.push_back(month);
    if (c.anomalous_months.size() < std::max(1u, p.min_anomalous_months)) continue;
    const std::uint32_t r = candidates[k];
    c.repo = r;
    c.fake_stars = faked[r];
    c.total_stars = total[r];
    c.fake_share = static_cast<double>(faked[r]) / static_cast<double>(total[r]);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace hubguard::stars
