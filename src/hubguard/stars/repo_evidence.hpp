// Everything detection found about one repository, gathered for a person to check: its star
// counts by label, stars per day and per month (fake, suspected and organic), its campaign
// (confident labels) if any, the lockstep clusters it is in (each with the raster of the
// cluster's stars: accounts by time, coloured by repository) and a sample of the accounts
// behind its fake stars with their GH Archive star times. `stars repo` prints it, the stars
// HTML pages draw it. Built from the DetectionInput and DetectResult in memory; every list is
// bounded so a hostile input cannot make a page unbounded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "hubguard/stars/detect.hpp"

namespace hubguard::stars {

struct StarCounts {
  std::uint64_t total = 0;
  std::uint64_t fake = 0;       // confident labels
  std::uint64_t suspected = 0;  // labelled by a signature, cleared by the false-positive screen
  std::uint64_t low_activity = 0, lockstep = 0, both = 0;  // confident, by signature
  std::uint64_t organic() const { return total - fake - suspected; }
};

struct StarPeriod {
  std::int64_t key = 0;  // UTC day number or month index (utc_calendar.hpp)
  std::uint32_t fake = 0, suspected = 0, organic = 0;
  std::uint32_t total() const { return fake + suspected + organic; }
};

struct RasterPoint {
  std::uint32_t row = 0;   // account row, in order of the account's first star in the cluster
  std::int64_t time = 0;   // Unix seconds
  std::uint32_t repo = 0;  // index into ClusterEvidence::repos
};

struct ClusterRepoEvidence {
  std::string name;
  double centre = 0;
  std::uint32_t cluster_stars = 0;
  bool marked = false;
};

struct ClusterEvidence {
  std::size_t index = 0;  // position in DetectResult::lockstep.clusters (clusters.json order)
  std::int64_t chunk_begin = 0, chunk_end = 0;
  std::size_t users = 0;
  double established_share = 0;
  bool community = false;               // the screen takes it for a real community
  std::uint32_t this_repo_stars = 0;    // its users' stars on this repository in the chunk
  std::vector<ClusterRepoEvidence> repos;
  std::vector<std::string> accounts;    // raster rows (at most kMaxRasterAccounts)
  std::vector<RasterPoint> points;      // the rows' stars on the cluster's repositories
  std::int64_t first = 0, last = 0;     // time range of `points`
};

struct SampleAccount {
  std::string login;
  std::int64_t starred_at = 0;
  std::string signature;  // low_activity | lockstep | both
  std::uint32_t events = 0;
  std::int64_t first_event = 0, last_event = 0;
};

struct RepoStarEvidence {
  std::string repo;
  StarCounts counts;
  double fake_share = 0;
  std::optional<Campaign> campaign;            // from the confident labels
  std::optional<Campaign> reference_campaign;  // from the reference labels
  std::vector<StarPeriod> days;                // every UTC day with a star, ascending
  std::vector<StarPeriod> months;              // every month with a star, ascending
  std::vector<ClusterEvidence> clusters;       // in cluster order
  std::vector<SampleAccount> sample;           // earliest fake stars
  std::int64_t first_star = 0, last_star = 0;
};

inline constexpr std::size_t kMaxRasterAccounts = 300;
inline constexpr std::size_t kMaxClustersShown = 50;

// Star positions (indexes into input.stars, ascending, so in time order) of chosen
// repositories, gathered in one pass over the stars: a page per repository then costs what
// that repository and its clusters' repositories hold, not a pass over every star.
using RepoStarIndex = std::unordered_map<std::uint32_t, std::vector<std::size_t>>;

RepoStarIndex index_repo_stars(const DetectionInput& input,
                               const std::unordered_set<std::uint32_t>& repos);

// The repository and every repository of the lockstep clusters it is in: what
// repo_star_evidence reads from the index.
std::unordered_set<std::uint32_t> evidence_repos(const DetectResult& result, std::uint32_t repo);

// nullopt when `repo_name` got no star in the input. `index` must hold evidence_repos() of
// the repository; when null, one is built for it (a pass over the stars).
std::optional<RepoStarEvidence> repo_star_evidence(const DetectionInput& input,
                                                   const DetectResult& result,
                                                   std::string_view repo_name,
                                                   std::size_t sample_size = 10,
                                                   const RepoStarIndex* index = nullptr);

}  // namespace hubguard::stars
