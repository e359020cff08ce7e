#include "hubguard/stars/detect.hpp"

#include <chrono>

namespace hubguard::stars {

std::string_view signature_name(std::uint8_t s) {
  switch (s & 3) {
    case kSignatureLowActivity:
      return "low_activity";
    case kSignatureLockstep:
      return "lockstep";
    case kSignatureLowActivity | kSignatureLockstep:
      return "both";
    default:
      return "none";
  }
}

DetectResult detect_fake_stars(const DetectionInput& input, const DetectParams& p) {
  using clock = std::chrono::steady_clock;
  auto since = [](clock::time_point t) {
    return std::chrono::duration<double>(clock::now() - t).count();
  };
  DetectResult r;
  auto t0 = clock::now();
  r.low_activity = detect_low_activity(input, p.low_activity);
  r.seconds_low_activity = since(t0);
  t0 = clock::now();
  r.lockstep = run_copycatch(input, p.copycatch);
  r.seconds_copycatch = since(t0);
  t0 = clock::now();
  const std::size_t N = input.stars.size();
  r.signature.assign(N, 0);
  for (std::size_t i = 0; i < N; ++i)
    r.signature[i] =
        static_cast<std::uint8_t>((r.low_activity.star_is_fake[i] ? kSignatureLowActivity : 0) |
                                  (r.lockstep.star_is_fake[i] ? kSignatureLockstep : 0));
  // The per-signature label vectors live on in `signature`: free them (2 bytes per star, 0.7 GB
  // at the whole archive's 330M stars) before the screen allocates its own.
  r.low_activity.star_is_fake = {};
  r.lockstep.star_is_fake = {};
  r.false_positives =
      find_false_positives(input, r.signature, r.lockstep.clusters, p.false_positives);
  r.confident.assign(N, 0);
  for (std::size_t i = 0; i < N; ++i)
    r.confident[i] = r.signature[i] != 0 && r.false_positives.reason[i] == SuspectReason::kNone;
  r.campaigns = find_campaigns(input, r.confident, p.campaigns);
  r.reference_campaigns = find_campaigns(input, r.signature, p.campaigns);
  r.seconds_screen = since(t0);
  return r;
}

}  // namespace hubguard::stars
