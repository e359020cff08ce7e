// Fake-star detection end to end over one DetectionInput: low-activity and lockstep
// (CopyCatch) labels as the reference defines them, the false-positive screen on top, and
// campaigns computed from the confident labels (or from the reference labels when the screen is
// off). Everything is indexed by star position in input.stars.
#pragma once

#include <cstdint>
#include <vector>

#include "hubguard/stars/campaigns.hpp"
#include "hubguard/stars/copycatch.hpp"
#include "hubguard/stars/detection_input.hpp"
#include "hubguard/stars/false_positives.hpp"
#include "hubguard/stars/low_activity.hpp"

namespace hubguard::stars {

inline constexpr std::uint8_t kSignatureLowActivity = 1;
inline constexpr std::uint8_t kSignatureLockstep = 2;

struct DetectParams {
  LowActivityParams low_activity;
  CopyCatchParams copycatch;
  FalsePositiveParams false_positives;
  CampaignParams campaigns;
};

struct DetectResult {
  LowActivityResult low_activity;  // star_is_fake emptied: see `signature`
  CopyCatchResult lockstep;        // star_is_fake emptied: see `signature`
  FalsePositiveResult false_positives;
  std::vector<std::uint8_t> signature;        // by star: kSignature* bits (reference labels)
  std::vector<std::uint8_t> confident;        // by star: 1 = labelled and not a suspected FP
  std::vector<Campaign> campaigns;            // from `confident`
  std::vector<Campaign> reference_campaigns;  // from `signature` (the reference's answer)
  double seconds_low_activity = 0, seconds_copycatch = 0, seconds_screen = 0;
};

DetectResult detect_fake_stars(const DetectionInput& input, const DetectParams& params = {});

std::string_view signature_name(std::uint8_t signature);  // low_activity | lockstep | both

}  // namespace hubguard::stars
