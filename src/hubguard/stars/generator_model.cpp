#include "hubguard/stars/generator_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "hubguard/stars/synthetic_rng.hpp"

namespace hubguard::stars {

std::string_view event_type_name(EventType t) {
  switch (t) {
    case EventType::kWatch:
      return "WatchEvent";
    case EventType::kPush:
      return "PushEvent";
    case EventType::kCreate:
      return "CreateEvent";
    case EventType::kFork:
      return "ForkEvent";
    case EventType::kIssues:
      return "IssuesEvent";
    case EventType::kIssueComment:
      return "IssueCommentEvent";
    case EventType::kPullRequest:
      return "PullRequestEvent";
  }
  return "Event";
}

namespace {

constexpr std::int64_t kDay = 86400;

class Generator {
 public:
  Generator(const GeneratorParams& p, SyntheticModel& m, EventSink& sink)
      : p_(p), m_(m), sink_(sink), rng_(p.seed), end_(p.start + std::int64_t{p.days} * kDay) {}

  void run() {
    make_organic_repos();
    organic_users();
    one_time_stargazers();
    for (std::uint32_t i = 0; i < p_.viral_repos; ++i) viral_repo();
    for (std::uint32_t i = 0; i < p_.launch_weeks; ++i) launch_week();
    for (std::uint32_t i = 0; i < p_.courses; ++i) course();
    for (std::uint32_t i = 0; i < p_.lockstep_sellers; ++i) lockstep_seller();
    for (std::uint32_t i = 0; i < p_.low_activity_campaigns; ++i) low_activity_campaign();
  }

 private:
  std::int64_t clamp_time(double t) const {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(t), p_.start, end_ - 1);
  }
  std::int64_t uniform_time(std::int64_t lo, std::int64_t hi) {
    return clamp_time(static_cast<double>(rng_.between(lo, std::max(lo, hi - 1))));
  }

  std::uint32_t new_actor() {
    return m_.actors.intern(fmt::format("user{}", m_.actors.size() + 1));
  }
  std::uint32_t new_org() { return m_.orgs.intern(fmt::format("org{}", m_.orgs.size() + 1)); }
  std::uint32_t new_repo(std::uint32_t org) {
    const std::string owner =
        org == kNoId ? fmt::format("dev{}", rng_.between(1, 1000000)) : std::string(m_.orgs.name(org));
    const auto id = m_.repos.intern(fmt::format("{}/r{}", owner, m_.repos.size() + 1));
    m_.repo_org.resize(m_.repos.size(), kNoId);
    m_.repo_org[id] = org;
    return id;
  }

  void emit(std::uint32_t actor, std::uint32_t repo, std::int64_t t, EventType type,
            StarKind kind = StarKind::kOrganic, std::uint8_t own = kNotOwn) {
    sink_.on_event({t, actor, repo, own, type, kind});
  }
  void star(std::uint32_t actor, std::uint32_t repo, std::int64_t t, StarKind kind) {
    emit(actor, repo, t, EventType::kWatch, kind);
  }
  // Non-star activity on the account's own repositories, spread over [lo, hi).
  void own_activity(std::uint32_t actor, std::uint32_t n, std::int64_t lo, std::int64_t hi,
                    std::uint32_t own_repos) {
    for (std::uint32_t i = 0; i < n; ++i) {
      const double r = rng_.uniform();
      const EventType type = r < 0.6   ? EventType::kPush
                             : r < 0.7 ? EventType::kCreate
                             : r < 0.8 ? EventType::kIssues
                             : r < 0.9 ? EventType::kIssueComment
                                       : EventType::kPullRequest;
      emit(actor, 0, uniform_time(lo, hi), type, StarKind::kOrganic,
           static_cast<std::uint8_t>(rng_.between(0, std::max(1u, own_repos) - 1)));
    }
  }

  void make_organic_repos() {
    const std::uint32_t n_orgs = std::max(1u, p_.organic_repos / 20);
    std::vector<std::uint32_t> orgs;
    for (std::uint32_t i = 0; i < n_orgs; ++i) orgs.push_back(new_org());
    double total = 0;
    for (std::uint32_t i = 0; i < p_.organic_repos; ++i) {
      const std::uint32_t org =
          rng_.chance(0.3) ? orgs[static_cast<std::size_t>(rng_.between(0, n_orgs - 1))] : kNoId;
      organic_repos_.push_back(new_repo(org));
      // Popularity 1/(rank + 100): heavy-tailed, but the head is not one repository taking
      // several percent of all stars (GitHub's most starred projects hold ~0.1% a year).
      total += 1.0 / (i + 100.0);
      cdf_.push_back(total);
    }
  }
  std::uint32_t popular_repo() {
    const double x = rng_.uniform() * cdf_.back();
    auto it = std::upper_bound(cdf_.begin(), cdf_.end(), x);
    const auto i =
        std::min<std::size_t>(static_cast<std::size_t>(it - cdf_.begin()), cdf_.size() - 1);
    return organic_repos_[i];
  }

  void organic_users() {
    std::unordered_set<std::uint32_t> chosen;
    const std::int64_t window_days = std::max<std::int64_t>(31, p_.days);
    for (std::uint32_t u = 0; u < p_.organic_users; ++u) {
      const std::uint32_t actor = new_actor();
      organic_.push_back(actor);
      const std::int64_t span = rng_.between(30, window_days - 1) * kDay;
      const std::int64_t lo =
          p_.start + rng_.between(0, std::max<std::int64_t>(0, end_ - p_.start - span));
      const std::int64_t hi = std::min(end_, lo + span);
      const auto others = static_cast<std::uint32_t>(std::clamp(
          std::lround(rng_.lognormal(std::log(p_.other_events_median), 1.0)), 2L, 2000L));
      own_activity(actor, others, lo, hi, static_cast<std::uint32_t>(rng_.between(1, 3)));
      const auto n = static_cast<std::uint32_t>(
          std::clamp(std::lround(rng_.lognormal(p_.stars_mu, p_.stars_sigma)), 1L,
                     static_cast<long>(std::min<std::uint32_t>(3000, p_.organic_repos / 2 + 1))));
      chosen.clear();
      while (chosen.size() < n) {
        const std::uint32_t repo = popular_repo();
        if (!chosen.insert(repo).second) continue;
        star(actor, repo, uniform_time(lo, hi), StarKind::kOrganic);
        ++organic_stars_;
      }
    }
  }

  void one_time_stargazers() {
    const auto n =
        static_cast<std::uint64_t>(p_.one_time_share * static_cast<double>(organic_stars_));
    for (std::uint64_t i = 0; i < n; ++i)
      star(new_actor(), popular_repo(), uniform_time(p_.start, end_), StarKind::kOneTime);
  }

  // Distinct organic accounts, drawn uniformly.
  std::vector<std::uint32_t> audience(std::uint32_t n) {
    n = std::min<std::uint32_t>(n, static_cast<std::uint32_t>(organic_.size()));
    std::unordered_set<std::uint32_t> seen;
    std::vector<std::uint32_t> out;
    while (out.size() < n) {
      const std::uint32_t a = organic_[static_cast<std::size_t>(
          rng_.between(0, static_cast<std::int64_t>(organic_.size()) - 1))];
      if (seen.insert(a).second) out.push_back(a);
    }
    return out;
  }

  void viral_repo() {
    const std::uint32_t repo = new_repo(rng_.chance(0.5) ? new_org() : kNoId);
    const std::int64_t t0 = uniform_time(p_.start + 10 * kDay, end_ - 30 * kDay);
    const auto one_time = static_cast<std::uint32_t>(0.05 * p_.viral_stars);
    for (std::uint32_t a : audience(p_.viral_stars - one_time))
      star(a, repo, clamp_time(t0 + rng_.exponential(2.0 * kDay)), StarKind::kViral);
    for (std::uint32_t i = 0; i < one_time; ++i)
      star(new_actor(), repo, clamp_time(t0 + rng_.exponential(2.0 * kDay)), StarKind::kViral);
  }

  void launch_week() {
    const std::uint32_t org = new_org();
    const std::int64_t t0 = uniform_time(p_.start + 10 * kDay, end_ - 20 * kDay);
    std::vector<std::pair<std::uint32_t, std::int64_t>> repos;
    for (std::uint32_t i = 0; i < p_.launch_repos; ++i)
      repos.emplace_back(new_repo(org), t0 + rng_.between(0, 5 * kDay));
    for (std::uint32_t a : audience(p_.launch_audience))
      for (auto [repo, c] : repos)
        if (rng_.chance(0.6))
          star(a, repo, clamp_time(c + std::fabs(rng_.normal()) * 1.5 * kDay), StarKind::kLaunch);
  }

  void course() {
    const std::uint32_t org = new_org();
    const std::int64_t t0 = uniform_time(p_.start + 10 * kDay, end_ - 80 * kDay);
    std::vector<std::pair<std::uint32_t, std::int64_t>> repos;
    for (std::uint32_t i = 0; i < p_.course_repos; ++i)
      repos.emplace_back(new_repo(org), t0 + rng_.between(0, 10 * kDay));
    for (std::uint32_t s = 0; s < p_.course_students; ++s) {
      const std::uint32_t actor = new_actor();
      own_activity(actor, static_cast<std::uint32_t>(rng_.between(25, 80)),
                   std::max(p_.start, t0 - 7 * kDay), std::min(end_, t0 + 75 * kDay), 2);
      for (auto [repo, c] : repos)
        if (rng_.chance(0.75))
          star(actor, repo, clamp_time(c + rng_.normal() * 2.0 * kDay), StarKind::kCourse);
      const auto extra = rng_.between(0, 5);
      std::unordered_set<std::uint32_t> chosen;
      for (std::int64_t k = 0; k < extra; ++k) {
        const std::uint32_t r = popular_repo();
        if (chosen.insert(r).second)
          star(actor, r, uniform_time(p_.start, end_), StarKind::kOrganic);
      }
    }
  }

  // A target repository with a small organic following of its own.
  std::uint32_t small_target(std::int64_t min_fans, std::int64_t max_fans) {
    const std::uint32_t repo = new_repo(rng_.chance(0.3) ? new_org() : kNoId);
    for (std::uint32_t a : audience(static_cast<std::uint32_t>(rng_.between(min_fans, max_fans))))
      star(a, repo, uniform_time(p_.start, end_), StarKind::kOrganic);
    return repo;
  }

  void lockstep_seller() {
    std::vector<std::uint32_t> pool;
    for (std::uint32_t i = 0; i < p_.seller_pool; ++i) {
      const std::uint32_t actor = new_actor();
      pool.push_back(actor);
      if (rng_.chance(p_.lockstep_cover_share))
        own_activity(actor, static_cast<std::uint32_t>(rng_.between(1, 5)), p_.start, end_, 1);
    }
    for (std::uint32_t c = 0; c < p_.campaigns_per_seller; ++c) {
      const std::int64_t t = uniform_time(p_.start + 20 * kDay, end_ - 20 * kDay);
      const auto k =
          static_cast<std::uint32_t>(rng_.between(p_.lockstep_min_repos, p_.lockstep_max_repos));
      std::vector<std::pair<std::uint32_t, std::int64_t>> targets;
      for (std::uint32_t i = 0; i < k; ++i) {
        const std::uint32_t repo = small_target(5, 40);
        targets.emplace_back(repo, t + rng_.between(-4 * kDay, 4 * kDay));
        m_.campaigns.emplace_back(repo, StarKind::kLockstepCampaign);
      }
      // A random subset of the pool works this order (partial Fisher-Yates shuffle).
      const auto n = static_cast<std::uint32_t>(std::min<std::int64_t>(
          pool.size(), rng_.between(p_.lockstep_min_accounts, p_.lockstep_max_accounts)));
      for (std::uint32_t i = 0; i < n; ++i)
        std::swap(pool[i], pool[static_cast<std::size_t>(
                               rng_.between(i, static_cast<std::int64_t>(pool.size()) - 1))]);
      for (std::uint32_t i = 0; i < n; ++i)
        for (auto [repo, centre] : targets)
          if (rng_.chance(p_.lockstep_star_probability))
            star(pool[i], repo,
                 clamp_time(static_cast<double>(centre + rng_.between(-2 * kDay, 2 * kDay))),
                 StarKind::kLockstepCampaign);
    }
  }

  void low_activity_campaign() {
    const std::uint32_t repo = small_target(5, 60);
    m_.campaigns.emplace_back(repo, StarKind::kLowActivityCampaign);
    const std::int64_t t = uniform_time(p_.start + 5 * kDay, end_ - 10 * kDay);
    const std::int64_t burst = rng_.between(1, 4) * kDay;
    const auto n = static_cast<std::uint32_t>(
        rng_.between(p_.low_activity_min_accounts, p_.low_activity_max_accounts));
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::uint32_t actor = new_actor();
      const std::int64_t when = uniform_time(t, t + burst);
      star(actor, repo, when, StarKind::kLowActivityCampaign);
      if (rng_.chance(0.3)) {
        // A fork the same day, at another second: still one day, two timestamps, one repo.
        const std::int64_t day_end = (when / kDay + 1) * kDay - 1;
        const std::int64_t fork = std::min(day_end, when + rng_.between(1, 3600));
        if (fork != when) emit(actor, repo, fork, EventType::kFork);
      }
    }
  }

  const GeneratorParams& p_;
  SyntheticModel& m_;
  EventSink& sink_;
  SyntheticRng rng_;
  std::int64_t end_;
  std::vector<std::uint32_t> organic_repos_;
  std::vector<double> cdf_;
  std::vector<std::uint32_t> organic_;
  std::uint64_t organic_stars_ = 0;
};

}  // namespace

void run_synthetic_model(const GeneratorParams& params, SyntheticModel& model, EventSink& sink) {
  Generator(params, model, sink).run();
}

}  // namespace hubguard::stars
