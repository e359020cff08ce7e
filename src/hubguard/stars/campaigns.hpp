// From star labels to repositories that ran fake-star campaigns (reference rules): a
// repository-month is anomalous when it has >= 50 fake stars and fake stars are >= 50% of its
// stars that month; a repository ran a campaign when >= 10% of all its stars are fake and it
// has at least one anomalous month. Months are UTC calendar months.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hubguard/stars/detection_input.hpp"

namespace hubguard::stars {

struct CampaignParams {
  std::uint32_t min_month_fake = 50;
  double min_month_share = 0.5;
  double min_repo_share = 0.1;
  std::uint32_t min_anomalous_months = 1;
};

struct Campaign {
  std::uint32_t repo = 0;
  std::uint64_t fake_stars = 0, total_stars = 0;
  double fake_share = 0;
  std::vector<std::int64_t> anomalous_months;  // month indexes (utc_calendar.hpp), ascending
  std::int64_t first_fake = 0, last_fake = 0;  // Unix seconds
};

// `fake` is indexed like input.stars; nonzero = fake. Result ascending by repo id.
std::vector<Campaign> find_campaigns(const DetectionInput& input,
                                     std::span<const std::uint8_t> fake,
                                     const CampaignParams& params = {});

}  // namespace hubguard::stars
