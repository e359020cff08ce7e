#include "hubguard/stars/false_positives.hpp"

#include <algorithm>

namespace hubguard::stars {

std::string_view suspect_reason_name(SuspectReason r) {
  switch (r) {
    case SuspectReason::kNone:
      return "none";
    case SuspectReason::kEstablishedAccount:
      return "established_account";
    case SuspectReason::kCommunityCluster:
      return "community_cluster";
    case SuspectReason::kOrganicTail:
      return "organic_tail";
  }
  return "unknown";
}

FalsePositiveResult find_false_positives(const DetectionInput& input,
                                         const std::vector<std::uint8_t>& signature,
                                         const std::vector<LockstepCluster>& clusters,
                                         const FalsePositiveParams& p) {
  auto low = [&](std::size_t i) { return (signature[i] & 1) != 0; };
  auto lockstep = [&](std::size_t i) { return (signature[i] & 2) != 0; };
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
    out.account_established[a] =
        other >= p.min_other_events && s.last_time - s.first_time >= p.min_span;
  }

  std::vector<std::uint8_t> keep_cluster(clusters.size(), 0);
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    std::size_t est = 0;
    for (auto u : clusters[c].users) est += u < A && out.account_established[u];
    const double share =
        clusters[c].users.empty()
            ? 0.0
            : static_cast<double>(est) / static_cast<double>(clusters[c].users.size());
    out.cluster_established_share[c] = share;
    out.cluster_community[c] = share >= p.community_min_established;
    keep_cluster[c] = !out.cluster_community[c];
  }
  const auto from_kept = mark_cluster_stars(input, clusters, keep_cluster);

  // For each low-activity star: the repository's stars, and its low-activity stars, within
  // +/- window/2 of it. A sliding window (not fixed bins) so a burst that straddles a bin edge
  // is not cut in two. Only repositories with low-activity labels are indexed.
  std::vector<std::uint32_t> slot(input.repos.size(), kNoId);
  std::vector<std::uint32_t> offset{0};
  for (std::size_t i = 0; i < N; ++i)
    if (low(i) && slot[input.stars[i].repo] == kNoId) {
      slot[input.stars[i].repo] = static_cast<std::uint32_t>(offset.size() - 1);
      offset.push_back(0);
    }
  for (const Star& s : input.stars)
    if (slot[s.repo] != kNoId) ++offset[slot[s.repo] + 1];
  for (std::size_t k = 1; k < offset.size(); ++k) offset[k] += offset[k - 1];
  std::vector<std::uint32_t> rows(offset.back());  // star indexes per repo, time-ordered
  {
    std::vector<std::uint32_t> fill(offset.begin(), offset.end() - 1);
    for (std::size_t i = 0; i < N; ++i)
      if (slot[input.stars[i].repo] != kNoId)
        rows[fill[slot[input.stars[i].repo]]++] = static_cast<std::uint32_t>(i);
  }
  std::vector<std::uint8_t> tail(N, 0);  // low-activity star that is not part of a burst
  const std::int64_t half = std::max<std::int64_t>(1, p.bin) / 2;
  for (std::size_t k = 0; k + 1 < offset.size(); ++k) {
    const std::uint32_t* row = rows.data() + offset[k];
    const std::size_t n = offset[k + 1] - offset[k];
    std::size_t lo = 0, hi = 0;
    std::uint32_t all = 0, lows = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const std::int64_t t = input.stars[row[j]].time;
      while (hi < n && input.stars[row[hi]].time <= t + half) {
        ++all;
        lows += low(row[hi]) ? 1 : 0;
        ++hi;
      }
      while (input.stars[row[lo]].time < t - half) {
        --all;
        lows -= low(row[lo]) ? 1 : 0;
        ++lo;
      }
      if (low(row[j]))
        tail[row[j]] = lows < p.min_bin_low ||
                       static_cast<double>(lows) < p.min_bin_share * static_cast<double>(all);
    }
  }

  for (std::size_t i = 0; i < N; ++i) {
    if (!low(i) && !lockstep(i)) continue;
    const Star& s = input.stars[i];
    SuspectReason low_reason = SuspectReason::kNone, lock_reason = SuspectReason::kNone;
    if (low(i) && tail[i]) low_reason = SuspectReason::kOrganicTail;
    if (lockstep(i)) {
      if (s.actor < A && out.account_established[s.actor])
        lock_reason = SuspectReason::kEstablishedAccount;
      else if (!from_kept[i])
        lock_reason = SuspectReason::kCommunityCluster;
    }
    const bool low_ok = low(i) && low_reason == SuspectReason::kNone;
    const bool lock_ok = lockstep(i) && lock_reason == SuspectReason::kNone;
    if (low_ok || lock_ok) continue;
    out.reason[i] = lockstep(i) ? lock_reason : low_reason;
  }
  return out;
}

}  // namespace hubguard::stars
