#include "hubguard/stars/false_positives.hpp"

#include <algorithm>
#include <unordered_map>

namespace hubguard::stars {

std::string_view suspect_reason_name(SuspectReason r) {
  switch (r) {
    case SuspectReason::kNone: return "none";
    case SuspectReason::kEstablishedAccount: return "established_account";
    case SuspectReason::kCommunityCluster: return "community_cluster";
    case SuspectReason::kOrganicTail: return "organic_tail";
  }
  return "unknown";
}

FalsePositiveResult find_false_positives(const DetectionInput& input,
                                         const std::vector<std::uint8_t>& low,
                                         const std::vector<std::uint8_t>& lockstep,
                                         const std::vector<LockstepCluster>& clusters,
                                         const FalsePositiveParams& p) {
  FalsePositiveResult out;
  const std::size_t A = input.actors.size(), N = input.stars.size();
  out.reason.assign(N, SuspectReason::kNone);
  out.account_established.assign(A, 0);
  out.cluster_established_share.assign(clusters.size(), 0.0);
  out.cluster_community.assign(clusters.size(), 0);
  if (!p.enabled) return out;

  // Other activity = all events minus the stars we hold for the account.
  std::vector<std::uint32_t> stars_of(A, 0);
  for (const Star& s : input.stars)
    if (s.actor < A) ++stars_of[s.actor];
  for (std::size_t a = 0; a < A && a < input.activity.size(); ++a) {
    const ActorSummary& s = input.activity[a];
    const std::uint32_t other = s.events > stars_of[a] ? s.events - stars_of[a] : 0;
    out.account_established[a] = other >= p.min_other_events && s.last_time - s.first_time >= p.min_span;
  }

  std::vector<std::uint8_t> keep_cluster(clusters.size(), 0);
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    std::size_t est = 0;
    for (auto u : clusters[c].users) est += u < A && out.account_established[u];
    const double share = clusters[c].users.empty()
                             ? 0.0
                             : static_cast<double>(est) / static_cast<double>(clusters[c].users.size());
    out.cluster_established_share[c] = share;
    out.cluster_community[c] = share >= p.community_min_established;
    keep_cluster[c] = !out.cluster_community[c];
  }
  const auto from_kept = mark_cluster_stars(input, clusters, keep_cluster);

  // Per (repo, bin): all stars and low-activity-labelled stars.
  struct BinCount {
    std::uint32_t all = 0, low = 0;
  };
  std::unordered_map<std::uint64_t, BinCount> bins;
  std::vector<std::uint8_t> repo_has_low(input.repos.size(), 0);
  for (std::size_t i = 0; i < N; ++i)
    if (low[i]) repo_has_low[input.stars[i].repo] = 1;
  const std::int64_t bin = std::max<std::int64_t>(1, p.bin);
  auto key = [&](const Star& s) {
    const std::int64_t b = s.time >= 0 ? s.time / bin : -((-s.time + bin - 1) / bin);
    return (std::uint64_t{s.repo} << 32) ^ static_cast<std::uint64_t>(b & 0xffffffff);
  };
  for (std::size_t i = 0; i < N; ++i) {
    const Star& s = input.stars[i];
    if (!repo_has_low[s.repo]) continue;
    BinCount& bc = bins[key(s)];
    ++bc.all;
    bc.low += low[i] ? 1 : 0;
  }

  for (std::size_t i = 0; i < N; ++i) {
    if (!low[i] && !lockstep[i]) continue;
    const Star& s = input.stars[i];
    SuspectReason low_reason = SuspectReason::kNone, lock_reason = SuspectReason::kNone;
    if (low[i]) {
      const BinCount& bc = bins[key(s)];
      if (static_cast<double>(bc.low) < p.min_bin_share * static_cast<double>(bc.all))
        low_reason = SuspectReason::kOrganicTail;
    }
    if (lockstep[i]) {
      if (s.actor < A && out.account_established[s.actor])
        lock_reason = SuspectReason::kEstablishedAccount;
      else if (!from_kept[i])
        lock_reason = SuspectReason::kCommunityCluster;
    }
    const bool low_ok = low[i] && low_reason == SuspectReason::kNone;
    const bool lock_ok = lockstep[i] && lock_reason == SuspectReason::kNone;
    if (low_ok || lock_ok) continue;
    out.reason[i] = lockstep[i] ? lock_reason : low_reason;
  }
  return out;
}

}  // namespace hubguard::stars
