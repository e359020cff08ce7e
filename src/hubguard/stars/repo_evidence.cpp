#include "hubguard/stars/repo_evidence.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "hubguard/stars/utc_calendar.hpp"

namespace hubguard::stars {
namespace {

constexpr std::size_t kMaxRasterPoints = 20000;  // keeps a raster under ~2 MB of SVG

// Stars with time in [begin, end): input.stars is sorted by time.
std::pair<std::size_t, std::size_t> star_range(const DetectionInput& in, std::int64_t begin,
                                               std::int64_t end) {
  auto lo = std::lower_bound(in.stars.begin(), in.stars.end(), begin,
                             [](const Star& s, std::int64_t t) { return s.time < t; });
  auto hi = std::lower_bound(lo, in.stars.end(), end,
                             [](const Star& s, std::int64_t t) { return s.time < t; });
  return {static_cast<std::size_t>(lo - in.stars.begin()),
          static_cast<std::size_t>(hi - in.stars.begin())};
}

ClusterEvidence cluster_evidence(const DetectionInput& in, const DetectResult& r, std::size_t c,
                                 std::uint32_t repo) {
  const LockstepCluster& cl = r.lockstep.clusters[c];
  ClusterEvidence e;
  e.index = c;
  e.chunk_begin = cl.chunk_begin;
  e.chunk_end = cl.chunk_end;
  e.users = cl.users.size();
  if (c < r.false_positives.cluster_established_share.size())
    e.established_share = r.false_positives.cluster_established_share[c];
  e.community = c < r.false_positives.cluster_community.size() && r.false_positives.cluster_community[c];
  std::unordered_map<std::uint32_t, std::uint32_t> slot;
  for (const ClusterRepo& cr : cl.repos) {
    if (cr.repo == repo) e.this_repo_stars = cr.cluster_stars;
    slot.emplace(cr.repo, static_cast<std::uint32_t>(e.repos.size()));
    e.repos.push_back({std::string(in.repos.name(cr.repo)), cr.centre, cr.cluster_stars, cr.marked});
  }
  // The cluster's users' stars on its repositories within the chunk, rows in order of each
  // account's first such star (so a lockstep campaign shows as a diagonal band).
  struct Raw {
    std::uint32_t actor;
    std::int64_t time;
    std::uint32_t repo;
  };
  std::vector<Raw> raw;
  const auto [lo, hi] = star_range(in, cl.chunk_begin, cl.chunk_end);
  for (std::size_t i = lo; i < hi && raw.size() < kMaxRasterPoints; ++i) {
    const Star& s = in.stars[i];
    const auto it = slot.find(s.repo);
    if (it == slot.end() || !std::binary_search(cl.users.begin(), cl.users.end(), s.actor)) continue;
    raw.push_back({s.actor, s.time, it->second});
  }
  std::unordered_map<std::uint32_t, std::uint32_t> row_of;
  for (const Raw& p : raw) {  // raw is in time order: first come, first row
    if (row_of.count(p.actor) || row_of.size() >= kMaxRasterAccounts) continue;
    row_of.emplace(p.actor, static_cast<std::uint32_t>(e.accounts.size()));
    e.accounts.emplace_back(in.actors.name(p.actor));
  }
  for (const Raw& p : raw) {
    const auto it = row_of.find(p.actor);
    if (it == row_of.end()) continue;
    if (e.points.empty()) e.first = p.time;
    e.last = p.time;
    e.points.push_back({it->second, p.time, p.repo});
  }
  return e;
}

std::optional<Campaign> campaign_of(const std::vector<Campaign>& campaigns, std::uint32_t repo) {
  auto it = std::lower_bound(campaigns.begin(), campaigns.end(), repo,
                             [](const Campaign& c, std::uint32_t id) { return c.repo < id; });
  if (it == campaigns.end() || it->repo != repo) return std::nullopt;
  return *it;
}

}  // namespace

std::optional<RepoStarEvidence> repo_star_evidence(const DetectionInput& in,
                                                   const DetectResult& r,
                                                   std::string_view repo_name,
                                                   std::size_t sample_size) {
  const std::uint32_t repo = in.repos.find(repo_name);
  if (repo == kNoId) return std::nullopt;
  RepoStarEvidence e;
  e.repo = std::string(repo_name);
  std::map<std::int64_t, StarPeriod> days, months;
  for (std::size_t i = 0; i < in.stars.size(); ++i) {
    const Star& s = in.stars[i];
    if (s.repo != repo) continue;
    const std::uint8_t sig = i < r.signature.size() ? r.signature[i] : 0;
    const bool fake = i < r.confident.size() && r.confident[i];
    if (e.counts.total++ == 0) e.first_star = s.time;
    e.last_star = s.time;
    auto& day = days[utc_day(s.time)];
    auto& month = months[month_index(s.time)];
    if (fake) {
      ++e.counts.fake, ++day.fake, ++month.fake;
      if (sig == (kSignatureLowActivity | kSignatureLockstep)) ++e.counts.both;
      else if (sig & kSignatureLockstep) ++e.counts.lockstep;
      else ++e.counts.low_activity;
      if (e.sample.size() < sample_size) {
        const ActorSummary& a = in.activity[s.actor];
        e.sample.push_back({std::string(in.actors.name(s.actor)), s.time,
                            std::string(signature_name(sig)), a.events, a.first_time, a.last_time});
      }
    } else if (sig) {
      ++e.counts.suspected, ++day.suspected, ++month.suspected;
    } else {
      ++day.organic, ++month.organic;
    }
  }
  if (e.counts.total == 0) return std::nullopt;
  e.fake_share = static_cast<double>(e.counts.fake) / static_cast<double>(e.counts.total);
  for (auto& [key, p] : days) e.days.push_back({key, p.fake, p.suspected, p.organic});
  for (auto& [key, p] : months) e.months.push_back({key, p.fake, p.suspected, p.organic});
  e.campaign = campaign_of(r.campaigns, repo);
  e.reference_campaign = campaign_of(r.reference_campaigns, repo);
  for (std::size_t c = 0; c < r.lockstep.clusters.size() && e.clusters.size() < kMaxClustersShown; ++c) {
    const auto& repos = r.lockstep.clusters[c].repos;
    if (std::any_of(repos.begin(), repos.end(), [&](const ClusterRepo& cr) { return cr.repo == repo; }))
      e.clusters.push_back(cluster_evidence(in, r, c, repo));
  }
  return e;
}

}  // namespace hubguard::stars
