#include "hubguard/stars/event.hpp"

#include <array>

namespace hubguard::stars {
namespace {

struct KindName {
  std::string_view type;
  EventKind kind;
};

// Indexed by EventKind value.
constexpr std::array<KindName, kEventKindCount> kKinds{{
    {"Other", EventKind::kOther},
    {"WatchEvent", EventKind::kStar},
    {"WatchEvent", EventKind::kWatchOther},
    {"PushEvent", EventKind::kPush},
    {"CreateEvent", EventKind::kCreate},
    {"DeleteEvent", EventKind::kDelete},
    {"ForkEvent", EventKind::kFork},
    {"IssuesEvent", EventKind::kIssues},
    {"IssueCommentEvent", EventKind::kIssueComment},
    {"PullRequestEvent", EventKind::kPullRequest},
    {"PullRequestReviewEvent", EventKind::kPullRequestReview},
    {"PullRequestReviewCommentEvent", EventKind::kPullRequestReviewComment},
    {"CommitCommentEvent", EventKind::kCommitComment},
    {"ReleaseEvent", EventKind::kRelease},
    {"MemberEvent", EventKind::kMember},
    {"PublicEvent", EventKind::kPublic},
    {"GollumEvent", EventKind::kGollum},
    {"FollowEvent", EventKind::kFollow},
    {"GistEvent", EventKind::kGist},
    {"DownloadEvent", EventKind::kDownload},
    {"ForkApplyEvent", EventKind::kForkApply},
    {"TeamAddEvent", EventKind::kTeamAdd},
    {"SponsorshipEvent", EventKind::kSponsorship},
    {"PullRequestReviewThreadEvent", EventKind::kPullRequestReviewThread},
    {"DiscussionEvent", EventKind::kDiscussion},
}};

}  // namespace

EventKind event_kind_from_type(std::string_view type, std::string_view watch_action) {
  if (type == "WatchEvent") return watch_action == "started" ? EventKind::kStar : EventKind::kWatchOther;
  // Linear scan over ~25 short strings; the two hot types are checked first.
  if (type == "PushEvent") return EventKind::kPush;
  for (unsigned i = 4; i < kEventKindCount; ++i)
    if (kKinds[i].type == type) return kKinds[i].kind;
  return EventKind::kOther;
}

std::string_view event_kind_name(EventKind kind) {
  auto i = static_cast<unsigned>(kind);
  return i < kEventKindCount ? kKinds[i].type : std::string_view("Other");
}

}  // namespace hubguard::stars
