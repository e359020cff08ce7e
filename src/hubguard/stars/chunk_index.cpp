#include "hubguard/stars/chunk_index.hpp"

namespace hubguard::stars {

std::size_t ChunkIndex::memory_bytes() const {
  return (repo_global.capacity() + user_global.capacity() + repo_offset.capacity() +
          user_offset.capacity()) * sizeof(std::uint32_t) +
         (repo_edges.capacity() + user_edges.capacity()) * sizeof(ChunkEdge);
}

ChunkIndex build_chunk_index(const DetectionInput& input, const TimeChunk& chunk) {
  ChunkIndex ix;
  ix.base = chunk.begin;
  const std::size_t lo = chunk.first_star, hi = chunk.last_star, n = hi - lo;

  // Global -> local ids. The maps are as large as the dictionaries but only live while one
  // chunk is built; 4 bytes per actor and per repository.
  std::vector<std::uint32_t> actor_local(input.actors.size(), kNoId);
  std::vector<std::uint32_t> repo_local(input.repos.size(), kNoId);
  std::vector<std::uint32_t> star_user(n), star_repo(n);
  std::vector<std::uint32_t> repo_count;
  for (std::size_t i = 0; i < n; ++i) {
    const Star& s = input.stars[lo + i];
    std::uint32_t& u = actor_local[s.actor];
    if (u == kNoId) {
      u = static_cast<std::uint32_t>(ix.user_global.size());
      ix.user_global.push_back(s.actor);
    }
    std::uint32_t& r = repo_local[s.repo];
    if (r == kNoId) {
      r = static_cast<std::uint32_t>(ix.repo_global.size());
      ix.repo_global.push_back(s.repo);
      repo_count.push_back(0);
    }
    star_user[i] = u;
    star_repo[i] = r;
    ++repo_count[r];
  }
  actor_local = {};
  repo_local = {};

  // Pass 1: repo rows in time order with the star's position, then drop repeated pairs
  // (a user's later stars of the same repository) using a per-user "last repo seen" mark.
  const std::size_t R = ix.repos(), U = ix.users();
  std::vector<std::uint32_t> cursor(R + 1, 0);
  for (std::size_t r = 0; r < R; ++r) cursor[r + 1] = cursor[r] + repo_count[r];
  std::vector<std::uint32_t> pos(n);
  {
    std::vector<std::uint32_t> fill(cursor.begin(), cursor.end() - 1);
    for (std::size_t i = 0; i < n; ++i) pos[fill[star_repo[i]]++] = static_cast<std::uint32_t>(i);
  }
  std::vector<std::uint8_t> keep(n, 1);
  {
    std::vector<std::uint32_t> last_repo(U, kNoId);
    for (std::size_t r = 0; r < R; ++r)
      for (std::uint32_t k = cursor[r]; k < cursor[r + 1]; ++k) {
        const std::uint32_t i = pos[k];
        std::uint32_t& seen = last_repo[star_user[i]];
        if (seen == r) keep[i] = 0;
        seen = static_cast<std::uint32_t>(r);
      }
  }

  ix.repo_offset.assign(R + 1, 0);
  std::size_t kept = 0;
  for (std::size_t r = 0; r < R; ++r) {
    for (std::uint32_t k = cursor[r]; k < cursor[r + 1]; ++k) kept += keep[pos[k]];
    ix.repo_offset[r + 1] = static_cast<std::uint32_t>(kept);
  }
  ix.repo_edges.resize(kept);
  {
    std::size_t w = 0;
    for (std::size_t r = 0; r < R; ++r)
      for (std::uint32_t k = cursor[r]; k < cursor[r + 1]; ++k) {
        const std::uint32_t i = pos[k];
        if (!keep[i]) continue;
        ix.repo_edges[w++] = {static_cast<std::int32_t>(input.stars[lo + i].time - ix.base),
                              star_user[i]};
      }
  }
  pos = {};
  cursor = {};

  // Pass 2: user rows, filled in global time order so each row is time-sorted.
  std::vector<std::uint32_t> user_count(U, 0);
  for (std::size_t i = 0; i < n; ++i) user_count[star_user[i]] += keep[i];
  ix.user_offset.assign(U + 1, 0);
  for (std::size_t u = 0; u < U; ++u) ix.user_offset[u + 1] = ix.user_offset[u] + user_count[u];
  ix.user_edges.resize(kept);
  std::vector<std::uint32_t> fill(ix.user_offset.begin(), ix.user_offset.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    if (!keep[i]) continue;
    ix.user_edges[fill[star_user[i]]++] = {
        static_cast<std::int32_t>(input.stars[lo + i].time - ix.base), star_repo[i]};
  }
  return ix;
}

}  // namespace hubguard::stars
