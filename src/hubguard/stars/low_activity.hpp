// Low-activity signature (reference study): an account whose whole activity over the window
// falls on one UTC day, with at most 2 distinct event timestamps, at most 1 distinct repository
// and at most 1 distinct organisation, is a low-activity account. A repository with at least
// `min_stargazers` distinct low-activity stargazers is flagged, and every star it got from such
// accounts is a low-activity fake star. One pass over the activity summaries, one over the stars.
#pragma once

#include <cstdint>
#include <vector>

#include "hubguard/stars/detection_input.hpp"

namespace hubguard::stars {

struct LowActivityParams {
  std::uint32_t max_days = 1;         // whole activity on this many UTC days (reference: 1)
  std::uint32_t max_timestamps = 2;   // distinct event timestamps
  std::uint32_t max_repos = 1;        // distinct repositories
  std::uint32_t max_orgs = 1;         // distinct organisations
  std::uint32_t min_stargazers = 50;  // distinct low-activity stargazers to flag a repository
};

struct LowActivityResult {
  std::vector<std::uint8_t> account_is_low;  // by actor id: 1 when the account is low-activity
  std::vector<std::uint32_t> flagged_repos;  // ascending repo ids
  std::vector<std::uint8_t> star_is_fake;    // by star index: 1 = low-activity fake star
};

bool is_low_activity_account(const ActorSummary& summary, const LowActivityParams& params);

LowActivityResult detect_low_activity(const DetectionInput& input,
                                      const LowActivityParams& params = {});

}  // namespace hubguard::stars
