// What fake-star detection needs, whatever the data came from (parsed GH Archive hours, the
// on-disk event store, or SQL extracts from BigQuery/ClickHouse): every star as
// (actor, repo, time), and per account a summary of all its activity over the window.
// Ingestion produces this; low-activity, CopyCatch and campaigns consume it.
#pragma once

#include <cstdint>
#include <vector>

#include "hubguard/stars/dictionary.hpp"

namespace hubguard::stars {

struct Star {
  std::uint32_t actor = 0;
  std::uint32_t repo = 0;
  std::int64_t time = 0;  // seconds since the Unix epoch, UTC
};

// Distinct counts are saturating: the low-activity rule only needs to know "<= 2 timestamps,
// <= 1 repository, <= 1 org", so counting stops at the cap and the summary stays small.
struct ActorSummary {
  std::int64_t first_time = 0;
  std::int64_t last_time = 0;
  std::uint32_t events = 0;
  std::uint8_t distinct_times = 0;  // saturates at 3
  std::uint8_t distinct_repos = 0;  // saturates at 2
  std::uint8_t distinct_orgs = 0;   // saturates at 2
};

struct DetectionInput {
  Dictionary actors;                   // keyed by actor.login (as the reference study)
  Dictionary repos;                    // keyed by repo.name
  std::vector<Star> stars;             // sorted by time, then actor, then repo
  std::vector<ActorSummary> activity;  // indexed by actor id; covers every actor in `actors`
};

}  // namespace hubguard::stars
