// The per-chunk star graph CopyCatch walks, in two CSR (compressed sparse row) layouts over
// dense chunk-local ids: repository -> its stargazers sorted by time, and user -> their stars
// sorted by time. Times are 32-bit seconds from the chunk start (a 6-month chunk needs 24
// bits), so an edge costs 8 bytes per direction. A (user, repository) pair appears once, at
// its first star in the chunk: starring twice (star, unstar, star) is not twice the evidence.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hubguard/stars/detection_input.hpp"
#include "hubguard/stars/time_chunks.hpp"

namespace hubguard::stars {

struct ChunkEdge {
  std::int32_t time = 0;    // seconds since ChunkIndex::base
  std::uint32_t other = 0;  // local user id (repo rows) or local repo id (user rows)
};

struct ChunkIndex {
  std::int64_t base = 0;
  std::vector<std::uint32_t> repo_global;  // local repo id -> DetectionInput repo id
  std::vector<std::uint32_t> user_global;  // local user id -> DetectionInput actor id
  std::vector<std::uint32_t> repo_offset;  // size repos + 1
  std::vector<ChunkEdge> repo_edges;       // per repo, ascending time
  std::vector<std::uint32_t> user_offset;  // size users + 1
  std::vector<ChunkEdge> user_edges;       // per user, ascending time

  std::size_t repos() const { return repo_global.size(); }
  std::size_t users() const { return user_global.size(); }
  std::span<const ChunkEdge> repo_row(std::uint32_t r) const {
    return {repo_edges.data() + repo_offset[r], repo_offset[r + 1] - repo_offset[r]};
  }
  std::span<const ChunkEdge> user_row(std::uint32_t u) const {
    return {user_edges.data() + user_offset[u], user_offset[u + 1] - user_offset[u]};
  }
  std::size_t memory_bytes() const;
};

// Builds the index of one chunk. Local ids are given in order of first star, so the index
// (and everything CopyCatch derives from it) is a pure function of the input. With 2+ threads
// the two CSR sides are built concurrently.
ChunkIndex build_chunk_index(const DetectionInput& input, const TimeChunk& chunk,
                             unsigned threads = 2);

}  // namespace hubguard::stars
