#include "hubguard/stars/repo_evidence.hpp"

#include <algorithm>
#include <map>

#include "hubguard/stars/utc_calendar.hpp"

namespace hubguard::stars {
namespace {

constexpr std::size_t kMaxRasterPoints = 20000;  // keeps a raster under ~2 MB of SVG

const std::vector<std::size_t>& stars_of(const RepoStarIndex& index, std::uint32_t repo) {
  static const std::vector<std::size_t> kNone;
  const auto it = index.find(repo);
  return it == index.end() ? kNone : it->second;
}

bool in_cluster(const LockstepCluster& cl, std::uint32_t repo) {
  return std::any_of(cl.repos.begin(), cl.repos.end(),
                     [&](const ClusterRepo& cr) { return cr.repo == repo; });
}

ClusterEvidence cluster_evidence(const DetectionInput& in, const DetectResult& r, std::size_t c,
                                 std::uint32_t repo, const RepoStarIndex& index) {
  const LockstepCluster& cl = r.lockstep.clusters[c];
  ClusterEvidence e;
  e.index = c;
  e.chunk_begin = cl.chunk_begin;
  e.chunk_end = cl.chunk_end;
  e.users = cl.users.size();
  if (c < r.false_positives.cluster_established_share.size())
    e.established_share = r.false_positives.cluster_established_share[c];
  e.community = c < r.false_positives.cluster_community.size() && r.false_positives.cluster_community[c];
  // The cluster's users' stars on its repositories within the chunk, in time order.
  std::vector<std::size_t> positions;
  for (const ClusterRepo& cr : cl.repos) {
    if (cr.repo == repo) e.this_repo_stars = cr.cluster_stars;
    e.repos.push_back({std::string(in.repos.name(cr.repo)), cr.centre, cr.cluster_stars, cr.marked});
    for (std::size_t i : stars_of(index, cr.repo)) {
      const Star& s = in.stars[i];
      if (s.time < cl.chunk_begin || s.time >= cl.chunk_end) continue;
      if (std::binary_search(cl.users.begin(), cl.users.end(), s.actor)) positions.push_back(i);
    }
  }
  std::sort(positions.begin(), positions.end());  // star order is time order
  // Rows in order of each account's first such star, so a lockstep campaign shows as a band.
  std::unordered_map<std::uint32_t, std::uint32_t> row_of;
  for (std::size_t i : positions) {
    const Star& s = in.stars[i];
    auto it = row_of.find(s.actor);
    if (it == row_of.end()) {
      if (row_of.size() >= kMaxRasterAccounts) continue;
      it = row_of.emplace(s.actor, static_cast<std::uint32_t>(e.accounts.size())).first;
      e.accounts.emplace_back(in.actors.name(s.actor));
    }
    if (e.points.size() >= kMaxRasterPoints) break;
    const auto slot = static_cast<std::uint32_t>(
        std::find_if(cl.repos.begin(), cl.repos.end(),
                     [&](const ClusterRepo& cr) { return cr.repo == s.repo; }) -
        cl.repos.begin());
    if (e.points.empty()) e.first = s.time;
    e.last = s.time;
    e.points.push_back({it->second, s.time, slot});
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

RepoStarIndex index_repo_stars(const DetectionInput& in,
                               const std::unordered_set<std::uint32_t>& repos) {
  RepoStarIndex index;
  for (std::uint32_t r : repos) index[r];
  for (std::size_t i = 0; i < in.stars.size(); ++i) {
    const auto it = index.find(in.stars[i].repo);
    if (it != index.end()) it->second.push_back(i);
  }
  return index;
}

std::unordered_set<std::uint32_t> evidence_repos(const DetectResult& r, std::uint32_t repo) {
  std::unordered_set<std::uint32_t> repos{repo};
  std::size_t clusters = 0;
  for (const auto& cl : r.lockstep.clusters) {
    if (clusters == kMaxClustersShown) break;
    if (!in_cluster(cl, repo)) continue;
    ++clusters;
    for (const ClusterRepo& cr : cl.repos) repos.insert(cr.repo);
  }
  return repos;
}

std::optional<RepoStarEvidence> repo_star_evidence(const DetectionInput& in,
                                                   const DetectResult& r,
                                                   std::string_view repo_name,
                                                   std::size_t sample_size,
                                                   const RepoStarIndex* index) {
  const std::uint32_t repo = in.repos.find(repo_name);
  if (repo == kNoId) return std::nullopt;
  RepoStarIndex own;
  if (index == nullptr) {
    own = index_repo_stars(in, evidence_repos(r, repo));
    index = &own;
  }
  RepoStarEvidence e;
  e.repo = std::string(repo_name);
  std::map<std::int64_t, StarPeriod> days, months;
  for (std::size_t i : stars_of(*index, repo)) {
    const Star& s = in.stars[i];
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
  for (std::size_t c = 0; c < r.lockstep.clusters.size() && e.clusters.size() < kMaxClustersShown; ++c)
    if (in_cluster(r.lockstep.clusters[c], repo))
      e.clusters.push_back(cluster_evidence(in, r, c, repo, *index));
  return e;
}

}  // namespace hubguard::stars
