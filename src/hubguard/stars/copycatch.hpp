// Lockstep signature: CopyCatch (Beutel et al., WWW 2013) as the reference study ran it on
// GitHub stars. Per time chunk, every repository with >= `min_seed_stars` stars seeds a search
// for a group of >= n users and m repositories (each with a centre time) such that every user
// starred >= rho * |group| of the group's repositories within delta_t of their centres. A seed
// alternates, at most `max_iterations` times, between
//   map:    users = those fitting the current centres, and
//   reduce: for those users' stars within delta_t of a known centre (or of the seed's centre for
//           repositories without one), per repository the count, mean and variance of star
//           times; keep the best `relaxed_m_factor * m` by count then lowest variance as centres
//           and the first m as the group,
// until the user set stops changing. Groups with >= n users and >= m repositories are kept and
// deduplicated; a group is a lockstep cluster when >= `min_repos_with_stars` of its
// repositories each got >= `min_stars_per_repo` stars from its users, and the users' stars on
// those repositories (within the chunk) are lockstep fake stars.
//
// Layout and speed: one chunk at a time (bounded memory), CSR indexes with 32-bit relative
// times (chunk_index.hpp), seeds in parallel with per-thread dense scratch arrays, results
// stored per seed and merged in seed order, so output does not depend on the thread count.
#pragma once

#include <cstdint>
#include <vector>

#include "hubguard/stars/detection_input.hpp"

namespace hubguard::stars {

struct CopyCatchParams {
  std::int64_t delta_t = 15 * 86400;  // seconds
  std::uint32_t n = 50;               // minimum users per cluster
  std::uint32_t m = 10;               // repositories per cluster
  double rho = 0.5;
  std::uint32_t min_seed_stars = 50;
  std::uint32_t max_iterations = 10;
  std::uint32_t relaxed_m_factor = 20;  // candidates kept with centres between iterations
  std::uint32_t min_repos_with_stars = 5;
  std::uint32_t min_stars_per_repo = 50;
  // Beyond the reference: also mark candidate repositories past the first m (see copycatch.cpp).
  bool extend_repos = false;
  std::uint32_t chunk_months = 6;
  std::uint32_t chunk_step_months = 3;
  unsigned threads = 0;  // 0 = all hardware threads
};

struct ClusterRepo {
  std::uint32_t repo = 0;           // DetectionInput repo id
  double centre = 0;                // Unix seconds
  std::uint32_t cluster_stars = 0;  // distinct cluster users who starred it in the chunk
  bool marked = false;              // cluster_stars >= min_stars_per_repo: its stars are labelled
  bool extension = false;           // not in the m-repository group; marked by extend_repos
};

struct LockstepCluster {
  std::uint32_t chunk = 0;
  std::int64_t chunk_begin = 0, chunk_end = 0;
  std::uint32_t seed_repo = 0;  // the first seed (in seed order) that converged here
  std::uint32_t seeds = 0;      // how many seeds converged to this same cluster
  std::uint32_t iterations = 0;
  std::vector<ClusterRepo> repos;    // the group, best first
  std::vector<std::uint32_t> users;  // ascending actor ids
};

struct CopyCatchStats {
  std::size_t chunks = 0, seeds = 0, candidate_groups = 0, unique_groups = 0, clusters = 0;
  std::size_t peak_index_bytes = 0;
  double seconds_index = 0, seconds_search = 0;
};

struct CopyCatchResult {
  std::vector<LockstepCluster> clusters;   // in chunk order, then seed order
  std::vector<std::uint8_t> star_is_fake;  // by star index: 1 = lockstep fake star
  CopyCatchStats stats;
};

CopyCatchResult run_copycatch(const DetectionInput& input, const CopyCatchParams& params = {});

// Marks, by star index, the stars of each selected cluster's users on its marked repositories
// within the cluster's chunk. `selected` is indexed like `clusters` (empty = all).
std::vector<std::uint8_t> mark_cluster_stars(const DetectionInput& input,
                                             const std::vector<LockstepCluster>& clusters,
                                             const std::vector<std::uint8_t>& selected = {});

}  // namespace hubguard::stars
