#include "hubguard/stars/low_activity.hpp"

#include <algorithm>

#include "hubguard/stars/utc_calendar.hpp"

namespace hubguard::stars {

bool is_low_activity_account(const ActorSummary& s, const LowActivityParams& p) {
  if (s.events == 0) return false;
  std::int64_t days = utc_day(s.last_time) - utc_day(s.first_time) + 1;
  return days <= static_cast<std::int64_t>(p.max_days) && s.distinct_times <= p.max_timestamps &&
         s.distinct_repos <= p.max_repos && s.distinct_orgs <= p.max_orgs;
}

LowActivityResult detect_low_activity(const DetectionInput& input, const LowActivityParams& p) {
  LowActivityResult out;
  const std::size_t n_actors = input.actors.size();
  out.account_is_low.assign(n_actors, 0);
  for (std::size_t a = 0; a < n_actors && a < input.activity.size(); ++a)
    out.account_is_low[a] = is_low_activity_account(input.activity[a], p) ? 1 : 0;

  // Distinct stargazers per repository: a low-activity account may star the same repository
  // twice (star, unstar, star); it still counts once. Collect (repo, actor) pairs and dedupe.
  std::vector<std::uint64_t> pairs;
  for (const Star& s : input.stars)
    if (s.actor < n_actors && out.account_is_low[s.actor])
      pairs.push_back((std::uint64_t{s.repo} << 32) | s.actor);
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());

  std::vector<std::uint8_t> repo_flagged(input.repos.size(), 0);
  for (std::size_t i = 0; i < pairs.size();) {
    std::size_t j = i;
    const auto repo = static_cast<std::uint32_t>(pairs[i] >> 32);
    while (j < pairs.size() && (pairs[j] >> 32) == repo) ++j;
    if (j - i >= p.min_stargazers && repo < repo_flagged.size()) {
      repo_flagged[repo] = 1;
      out.flagged_repos.push_back(repo);
    }
    i = j;
  }

  out.star_is_fake.assign(input.stars.size(), 0);
  for (std::size_t i = 0; i < input.stars.size(); ++i) {
    const Star& s = input.stars[i];
    if (s.actor < n_actors && out.account_is_low[s.actor] && s.repo < repo_flagged.size() &&
        repo_flagged[s.repo])
      out.star_is_fake[i] = 1;
  }
  return out;
}

}  // namespace hubguard::stars
