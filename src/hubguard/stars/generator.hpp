// Synthetic GH Archive with ground truth, for tests and benchmarks. The model:
//  - organic accounts: several event types on their own repositories over weeks to months, and
//    stars on repositories drawn from a heavy-tailed popularity curve at random times;
//  - one-time stargazers: accounts whose whole activity is one star (real, and exactly what the
//    low-activity rule looks for), also in each viral repository's spike;
//  - viral repositories: thousands of organic stars within days;
//  - false-positive bait: launch weeks (an organisation's repositories starred together by an
//    existing audience) and courses (students with real activity starring the course's
//    repositories in the same days);
//  - planted campaigns: low-activity (fresh accounts, one star each, in a burst) and lockstep
//    (a seller's pool of accounts starring each customer's repositories around the same time,
//    some accounts with a little cover activity).
// Everything is drawn from one seeded stream: same parameters and seed, same archive. The
// archive comes out either as a DetectionInput in memory (benchmarks at tens of millions of
// stars without JSON) or as GH Archive hour files `YYYY-MM-DD-H.json.gz` (2015+ shape) plus a
// truth directory, so ingestion is exercised end to end.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <utility>
#include <vector>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/detection_input.hpp"

namespace hubguard::stars {

struct GeneratorParams {
  std::uint64_t seed = 1;
  std::int64_t start = 1672531200;  // 2023-01-01T00:00:00Z
  std::uint32_t days = 365;
  std::uint32_t organic_users = 10000;
  std::uint32_t organic_repos = 8000;
  double stars_mu = 1.5, stars_sigma = 1.1;  // log-normal stars per organic account
  double other_events_median = 25;
  double one_time_share = 0.03;  // one-time stargazers, as a share of organic stars
  std::uint32_t viral_repos = 3, viral_stars = 2500;
  std::uint32_t launch_weeks = 2, launch_repos = 12, launch_audience = 200;
  std::uint32_t courses = 2, course_repos = 12, course_students = 100;
  std::uint32_t lockstep_sellers = 2, seller_pool = 250, campaigns_per_seller = 3;
  std::uint32_t lockstep_min_accounts = 80, lockstep_max_accounts = 200;
  std::uint32_t lockstep_min_repos = 12, lockstep_max_repos = 20;
  double lockstep_star_probability = 0.8;
  double lockstep_cover_share = 0.3;  // fake accounts with a few other events
  std::uint32_t low_activity_campaigns = 8;
  std::uint32_t low_activity_min_accounts = 60, low_activity_max_accounts = 400;
};

// Scale 1 is about 100k stars (seconds to generate, detect and ingest); the organic population
// and the number of each planted/bait event grow linearly with it.
GeneratorParams generator_params_for_scale(double scale, std::uint64_t seed = 1);

enum class StarKind : std::uint8_t {
  kOrganic = 0,
  kOneTime = 1,
  kViral = 2,
  kLaunch = 3,
  kCourse = 4,
  kLowActivityCampaign = 5,
  kLockstepCampaign = 6,
};
std::string_view star_kind_name(StarKind kind);
inline bool is_planted_fake(StarKind k) {
  return k == StarKind::kLowActivityCampaign || k == StarKind::kLockstepCampaign;
}

struct SyntheticInput {
  DetectionInput input;
  std::vector<StarKind> star_kind;                            // aligned with input.stars
  std::vector<std::pair<std::uint32_t, StarKind>> campaigns;  // planted target repo ids
};

SyntheticInput generate_detection_input(const GeneratorParams& params);

struct SyntheticFilesStats {
  std::size_t hour_files = 0, events = 0, stars = 0, compressed_bytes = 0;
};

// Writes DIR/archive/YYYY-MM-DD-H.json.gz and DIR/truth/{truth_fake_stars,truth_campaigns,
// truth_bait}.csv.
Result<SyntheticFilesStats> write_synthetic_archive(const GeneratorParams& params,
                                                    const std::filesystem::path& dir);

}  // namespace hubguard::stars
