#include "hubguard/stars/detection_input_builder.hpp"

#include <algorithm>
#include <numeric>

#include "hubguard/stars/activity_accumulator.hpp"
#include "hubguard/stars/archive_files.hpp"

namespace hubguard::stars {
namespace {

// Ids of `marked` in ascending order.
std::vector<std::uint32_t> marked_ids(const std::vector<bool>& marked) {
  std::vector<std::uint32_t> ids;
  for (std::size_t i = 0; i < marked.size(); ++i)
    if (marked[i]) ids.push_back(static_cast<std::uint32_t>(i));
  return ids;
}

// rank[i] = position of names[i] in byte order; fills `dict` in that order.
std::vector<std::uint32_t> sorted_ranks(std::vector<std::string>& names, Dictionary& dict) {
  std::vector<std::uint32_t> order(names.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return names[a] < names[b]; });
  std::vector<std::uint32_t> rank(names.size());
  for (std::uint32_t r = 0; r < order.size(); ++r) {
    rank[order[r]] = r;
    dict.intern(names[order[r]]);
  }
  return rank;
}

}  // namespace

Result<DetectionInput> build_detection_input(const EventSource& source, const TimeWindow& window) {
  const std::size_t actor_space = source.id_count(NameKind::kActor);
  const std::size_t repo_space = source.id_count(NameKind::kRepo);

  // Pass 1: who starred in the window.
  std::vector<bool> stargazer(actor_space, false);
  bool bad_id = false;
  auto pass1 = source.scan(window, [&](std::span<const Event> batch) {
    for (const Event& e : batch) {
      if (e.kind != EventKind::kStar) continue;
      if (e.actor >= actor_space || e.repo >= repo_space) {
        bad_id = true;
        continue;
      }
      stargazer[e.actor] = true;
    }
  });
  if (!pass1) return pass1.error();
  if (bad_id) return make_error("event with an actor or repository id outside its dictionary");

  const std::vector<std::uint32_t> actor_ids = marked_ids(stargazer);
  std::vector<std::uint32_t> local(actor_space, kNoId);
  for (std::uint32_t i = 0; i < actor_ids.size(); ++i) local[actor_ids[i]] = i;
  stargazer.clear();
  stargazer.shrink_to_fit();

  // Pass 2: everything those accounts did, and their stars (repo ids still the source's).
  std::vector<ActivityAccumulator> acc(actor_ids.size());
  std::vector<Star> stars;
  std::vector<bool> starred(repo_space, false);
  auto pass2 = source.scan(window, [&](std::span<const Event> batch) {
    for (const Event& e : batch) {
      if (e.actor >= actor_space) continue;
      const std::uint32_t a = local[e.actor];
      if (a == kNoId) continue;
      acc[a].add(e.time, e.repo, e.org);
      if (e.kind == EventKind::kStar) {
        stars.push_back(Star{a, e.repo, e.time});
        starred[e.repo] = true;
      }
    }
  });
  if (!pass2) return pass2.error();
  local.clear();
  local.shrink_to_fit();

  DetectionInput input;
  auto actor_names = source.names(NameKind::kActor, actor_ids);
  if (!actor_names) return actor_names.error();
  const auto actor_rank = sorted_ranks(*actor_names, input.actors);
  actor_names->clear();

  const std::vector<std::uint32_t> repo_ids = marked_ids(starred);
  auto repo_names = source.names(NameKind::kRepo, repo_ids);
  if (!repo_names) return repo_names.error();
  const auto repo_rank = sorted_ranks(*repo_names, input.repos);
  std::vector<std::uint32_t> repo_new(repo_space, kNoId);
  for (std::size_t i = 0; i < repo_ids.size(); ++i) repo_new[repo_ids[i]] = repo_rank[i];

  for (Star& s : stars) {
    s.actor = actor_rank[s.actor];
    s.repo = repo_new[s.repo];
  }
  std::sort(stars.begin(), stars.end(), [](const Star& a, const Star& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.actor != b.actor) return a.actor < b.actor;
    return a.repo < b.repo;
  });
  input.stars = std::move(stars);
  input.activity.resize(actor_ids.size());
  for (std::size_t i = 0; i < actor_ids.size(); ++i) input.activity[actor_rank[i]] = acc[i].summary();
  return input;
}

Result<DetectionInput> detection_input_from_archives(const std::vector<std::filesystem::path>& paths,
                                                     const ReadOptions& options, const TimeWindow& window,
                                                     ReadResult* stats) {
  auto files = list_archive_files(paths);
  if (!files) return files.error();
  ReadResult read = read_archives(*files, options);
  TableEventSource source(read.table);
  auto input = build_detection_input(source, window);
  if (stats != nullptr) {
    stats->per_file = std::move(read.per_file);
    stats->total = read.total;
  }
  return input;
}

}  // namespace hubguard::stars
