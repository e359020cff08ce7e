// One archive event reduced to what fake-star detection needs: when, who, where (repository
// and organisation, either may be absent) and what kind. Names are dictionary ids; which
// dictionary depends on the holder (one archive file, a merged table, or the event store).
// A star is its own kind (a WatchEvent whose payload.action is "started") so consumers never
// look at payloads again.
#pragma once

#include <cstdint>
#include <string_view>

#include "hubguard/stars/dictionary.hpp"

namespace hubguard::stars {

// Codes are stored on disk by the event store: append only, never renumber.
enum class EventKind : std::uint8_t {
  kOther = 0,  // a type this table does not know; still an event of its actor
  kStar = 1,   // WatchEvent, payload.action == "started"
  kWatchOther = 2,  // WatchEvent with another or no action (not a star)
  kPush = 3,
  kCreate = 4,
  kDelete = 5,
  kFork = 6,
  kIssues = 7,
  kIssueComment = 8,
  kPullRequest = 9,
  kPullRequestReview = 10,
  kPullRequestReviewComment = 11,
  kCommitComment = 12,
  kRelease = 13,
  kMember = 14,
  kPublic = 15,
  kGollum = 16,
  kFollow = 17,  // pre-2015 only
  kGist = 18,    // pre-2015 only
  kDownload = 19,
  kForkApply = 20,
  kTeamAdd = 21,
  kSponsorship = 22,
  kPullRequestReviewThread = 23,
  kDiscussion = 24,
};
inline constexpr unsigned kEventKindCount = 25;

// "PushEvent" -> kPush; an unknown type -> kOther. WatchEvent alone needs the action.
EventKind event_kind_from_type(std::string_view type, std::string_view watch_action);
std::string_view event_kind_name(EventKind kind);

struct Event {
  std::int64_t time = 0;             // epoch seconds, UTC
  std::uint32_t actor = kNoId;       // login id; always present
  std::uint32_t repo = kNoId;        // repository-name id, kNoId when the event has none
  std::uint32_t org = kNoId;         // organisation-login id, kNoId when none
  EventKind kind = EventKind::kOther;
};

}  // namespace hubguard::stars
