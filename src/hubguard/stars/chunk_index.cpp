#include "hubguard/stars/chunk_index.hpp"

#include "hubguard/core/parallel.hpp"

namespace hubguard::stars {

std::size_t ChunkIndex::memory_bytes() const {
  return (repo_global.capacity() + user_global.capacity() + repo_offset.capacity() +
          user_offset.capacity()) *
             sizeof(std::uint32_t) +
         (repo_edges.capacity() + user_edges.capacity()) * sizeof(ChunkEdge);
}

namespace {

// One CSR side: rows keyed by `key`, edges (time, other) in time order because stars are
// visited in time order; then each row keeps only the first edge to each `other` (a repeated
// star of the same pair), compacting in place. Both sides drop exactly the same stars, so they
// can be built independently (and concurrently).
void build_side(const DetectionInput& input, std::size_t lo, std::int64_t base,
                const std::vector<std::uint32_t>& keys, const std::vector<std::uint32_t>& others,
                std::size_t n_keys, std::size_t n_others, std::vector<std::uint32_t>& offset,
                std::vector<ChunkEdge>& edges) {
  const std::size_t n = keys.size();
  offset.assign(n_keys + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++offset[keys[i] + 1];
  for (std::size_t k = 0; k < n_keys; ++k) offset[k + 1] += offset[k];
  edges.resize(n);
  {
    std::vector<std::uint32_t> fill(offset.begin(), offset.end() - 1);
    for (std::size_t i = 0; i < n; ++i)
      edges[fill[keys[i]]++] = {static_cast<std::int32_t>(input.stars[lo + i].time - base),
                                others[i]};
  }
  std::vector<std::uint32_t> last(n_others, kNoId);
  std::size_t w = 0;
  std::uint32_t begin = 0;
  for (std::size_t k = 0; k < n_keys; ++k) {
    const std::uint32_t end = offset[k + 1];
    for (std::uint32_t e = begin; e < end; ++e) {
      std::uint32_t& seen = last[edges[e].other];
      if (seen == k) continue;
      seen = static_cast<std::uint32_t>(k);
      edges[w++] = edges[e];
    }
    begin = end;
    offset[k + 1] = static_cast<std::uint32_t>(w);
  }
  edges.resize(w);
  edges.shrink_to_fit();
}

}  // namespace

ChunkIndex build_chunk_index(const DetectionInput& input, const TimeChunk& chunk,
                             unsigned threads) {
  ChunkIndex ix;
  ix.base = chunk.begin;
  const std::size_t lo = chunk.first_star, hi = chunk.last_star, n = hi - lo;

  // Global -> local ids. The maps are as large as the dictionaries but only live while one
  // chunk is built; 4 bytes per actor and per repository.
  std::vector<std::uint32_t> star_user(n), star_repo(n);
  {
    std::vector<std::uint32_t> actor_local(input.actors.size(), kNoId);
    std::vector<std::uint32_t> repo_local(input.repos.size(), kNoId);
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
      }
      star_user[i] = u;
      star_repo[i] = r;
    }
  }
  const std::size_t R = ix.repos(), U = ix.users();
  parallel_for(2, threads >= 2 ? 2 : 1, [&](std::size_t side) {
    if (side == 0)
      build_side(input, lo, ix.base, star_repo, star_user, R, U, ix.repo_offset, ix.repo_edges);
    else
      build_side(input, lo, ix.base, star_user, star_repo, U, R, ix.user_offset, ix.user_edges);
  });
  return ix;
}

}  // namespace hubguard::stars
