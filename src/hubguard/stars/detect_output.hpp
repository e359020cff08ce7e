// Files `hubguard stars detect` writes into its output directory. Row order is fixed (stars by
// time, then login, then repository name; campaigns by repository name; clusters by chunk then
// seed), so the same input gives byte-identical files.
//   fake_stars.csv                 actor,repo,created_at,signature   (confident labels)
//   suspected_false_positives.csv  actor,repo,created_at,signature,reason
//   campaigns.csv repo,fake_stars,total_stars,fake_share,anomalous_months,first_fake,last_fake
//   reference_campaigns.csv        same columns, from the reference labels (before the screen)
//   clusters.json                  every lockstep cluster: chunk, repositories with centres, users
//   summary.json                   counts (no timings, so the file is reproducible)
#pragma once

#include <cstddef>
#include <filesystem>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/detect.hpp"

namespace hubguard::stars {

struct DetectOutputCounts {
  std::size_t fake_stars = 0, suspected = 0, campaigns = 0, clusters = 0;
};

Result<DetectOutputCounts> write_detect_output(const std::filesystem::path& dir,
                                               const DetectionInput& input,
                                               const DetectResult& result);

}  // namespace hubguard::stars
