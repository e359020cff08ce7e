// Beyond the reference: the two signatures' known false positives, told apart from fakes.
//  - Lockstep: real communities (a course's students, a launch week's audience) star the same
//    repositories at the same time, exactly like a lockstep campaign. What differs is what else
//    the accounts do: bought accounts do little besides starring, while members of a community
//    push, open issues and comment over weeks. An account is "established" when it has at least
//    `min_other_events` non-star events and its activity spans at least `min_span` seconds. A
//    cluster whose users are mostly established is a suspected community; a lockstep star is
//    suspect when its account is established or every cluster that labelled it is a community.
//  - Low activity: popular and viral repositories attract genuine one-time stargazers (people
//    who sign up only to star), so a busy repository passes "50 low-activity stargazers" with no
//    campaign. Bought low-activity stars arrive as a burst that dominates the repository's stars
//    at that time; organic ones are a thin tail of a busy period. A low-activity star is suspect
//    when, within +/- bin/2 of it, low-activity stars are below `min_bin_share` of the
//    repository's stars or fewer than `min_bin_low` (on a busy repository a quiet week can hold
//    two one-time stars out of three).
// A star labelled by both signatures is suspect only when both parts are.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hubguard/stars/copycatch.hpp"
#include "hubguard/stars/detection_input.hpp"

namespace hubguard::stars {

struct FalsePositiveParams {
  bool enabled = true;
  std::uint32_t min_other_events = 10;
  std::int64_t min_span = 30 * 86400;
  double community_min_established = 0.5;
  std::int64_t bin = 7 * 86400;  // sliding window width around each low-activity star
  double min_bin_share = 0.5;
  std::uint32_t min_bin_low = 10;  // a burst is also at least this many low-activity stars
};

enum class SuspectReason : std::uint8_t {
  kNone = 0,
  kEstablishedAccount = 1,  // lockstep star by an account with much other, long activity
  kCommunityCluster = 2,    // lockstep star only from clusters of mostly established accounts
  kOrganicTail = 3,         // low-activity star that is a thin share of a busy repo's stars
};
std::string_view suspect_reason_name(SuspectReason reason);

struct FalsePositiveResult {
  std::vector<std::uint8_t> account_established;  // by actor id
  std::vector<double> cluster_established_share;  // by cluster
  std::vector<std::uint8_t> cluster_community;    // by cluster
  std::vector<SuspectReason> reason;              // by star; kNone for confident / unlabelled
};

// `signature` holds the reference labels by star index: bit 0 low-activity, bit 1 lockstep.
FalsePositiveResult find_false_positives(const DetectionInput& input,
                                         const std::vector<std::uint8_t>& signature,
                                         const std::vector<LockstepCluster>& clusters,
                                         const FalsePositiveParams& params = {});

}  // namespace hubguard::stars
