#include "hubguard/stars/copycatch.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <span>
#include <unordered_map>

#include "hubguard/core/parallel.hpp"
#include "hubguard/stars/chunk_index.hpp"
#include "hubguard/stars/time_chunks.hpp"

namespace hubguard::stars {

namespace {

struct Centre {
  std::uint32_t repo = 0;  // local id
  double centre = 0;       // seconds since the chunk base
};

struct Group {
  std::vector<Centre> repos;
  std::vector<Centre> candidates;    // the relaxed centre list beyond the group
  std::vector<std::uint32_t> users;  // local ids, ascending
  std::uint32_t iterations = 0;
};

struct Accumulator {
  std::uint32_t count = 0;
  double sum = 0, sumsq = 0;  // of (time - seed centre): small numbers, exact enough
};

// Dense per-thread arrays indexed by local id, reset through "touched" lists so a seed costs
// what it visits, not the size of the chunk.
struct Scratch {
  std::vector<std::uint32_t> user_hits;
  std::vector<std::uint32_t> touched_users;
  std::vector<std::int32_t> repo_slot;
  std::vector<Accumulator> acc;
  std::vector<std::uint32_t> touched_repos;
  std::vector<std::uint8_t> user_mark;

  explicit Scratch(const ChunkIndex& ix)
      : user_hits(ix.users(), 0), repo_slot(ix.repos(), -1), acc(ix.repos()) {}
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// First edge with time >= t (times are integers, the bound may be fractional).
const ChunkEdge* first_at_or_after(std::span<const ChunkEdge> row, double t) {
  return std::lower_bound(row.data(), row.data() + row.size(), t,
                          [](const ChunkEdge& e, double v) { return e.time < v; });
}

// Map step: users who starred >= rho * |group| of the group's repositories within delta_t of
// their centres (the reference's 0.001 slack absorbs floating-point error in rho * size).
void fit_users(const ChunkIndex& ix, std::span<const Centre> group, const CopyCatchParams& p,
               Scratch& s, std::vector<std::uint32_t>& users) {
  const double dt = static_cast<double>(p.delta_t);
  for (const Centre& c : group) {
    auto row = ix.repo_row(c.repo);
    const ChunkEdge* end = row.data() + row.size();
    for (const ChunkEdge* e = first_at_or_after(row, c.centre - dt);
         e != end && e->time <= c.centre + dt; ++e) {
      if (s.user_hits[e->other]++ == 0) s.touched_users.push_back(e->other);
    }
  }
  const double need = p.rho * static_cast<double>(group.size()) - 1e-3;
  users.clear();
  for (std::uint32_t u : s.touched_users) {
    if (static_cast<double>(s.user_hits[u]) >= need) users.push_back(u);
    s.user_hits[u] = 0;
  }
  s.touched_users.clear();
  std::sort(users.begin(), users.end());
}

// Reduce step: new centres from the users' stars near the current centres (or near the seed's
// centre for repositories that have none yet), best by count then by lowest variance.
void recentre(const ChunkIndex& ix, double seed_centre, const std::vector<std::uint32_t>& users,
              const CopyCatchParams& p, Scratch& s, std::vector<Centre>& centres) {
  const double dt = static_cast<double>(p.delta_t);
  double lo = seed_centre, hi = seed_centre;
  for (std::size_t i = 0; i < centres.size(); ++i) {
    s.repo_slot[centres[i].repo] = static_cast<std::int32_t>(i);
    lo = std::min(lo, centres[i].centre);
    hi = std::max(hi, centres[i].centre);
  }
  lo -= dt;
  hi += dt;
  for (std::uint32_t u : users) {
    auto row = ix.user_row(u);
    const ChunkEdge* end = row.data() + row.size();
    for (const ChunkEdge* e = first_at_or_after(row, lo); e != end && e->time <= hi; ++e) {
      const std::int32_t slot = s.repo_slot[e->other];
      const double c = slot >= 0 ? centres[static_cast<std::size_t>(slot)].centre : seed_centre;
      if (std::fabs(e->time - c) > dt) continue;
      Accumulator& a = s.acc[e->other];
      if (a.count++ == 0) s.touched_repos.push_back(e->other);
      const double x = e->time - seed_centre;
      a.sum += x;
      a.sumsq += x * x;
    }
  }
  for (const Centre& c : centres) s.repo_slot[c.repo] = -1;

  struct Candidate {
    std::uint32_t repo, count;
    double mean, var;
  };
  std::vector<Candidate> cand;
  cand.reserve(s.touched_repos.size());
  for (std::uint32_t r : s.touched_repos) {
    Accumulator& a = s.acc[r];
    const double n = a.count, mean = a.sum / n;
    cand.push_back({r, a.count, mean, std::max(0.0, a.sumsq / n - mean * mean)});
    a = {};
  }
  s.touched_repos.clear();
  const std::size_t keep = std::min<std::size_t>(
      cand.size(), static_cast<std::size_t>(p.relaxed_m_factor) * std::max(1u, p.m));
  auto better = [](const Candidate& a, const Candidate& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.var != b.var) return a.var < b.var;
    return a.repo < b.repo;
  };
  std::partial_sort(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(keep), cand.end(),
                    better);
  centres.clear();
  for (std::size_t i = 0; i < keep; ++i)
    centres.push_back({cand[i].repo, cand[i].mean + seed_centre});
}

std::span<const Centre> group_of(const std::vector<Centre>& centres, std::uint32_t m) {
  return {centres.data(), std::min<std::size_t>(centres.size(), std::max(1u, m))};
}

Group search_seed(const ChunkIndex& ix, std::uint32_t seed, const CopyCatchParams& p, Scratch& s) {
  auto row = ix.repo_row(seed);
  double sum = 0;
  for (const ChunkEdge& e : row) sum += e.time;
  const double seed_centre = sum / static_cast<double>(row.size());

  std::vector<Centre> centres{{seed, seed_centre}};
  std::vector<std::uint32_t> users, previous;
  Group g;
  bool users_fit_centres = false;
  for (std::uint32_t it = 0; it < p.max_iterations; ++it) {
    fit_users(ix, group_of(centres, p.m), p, s, users);
    g.iterations = it + 1;
    if ((it > 0 && users == previous) || users.empty()) {
      users_fit_centres = true;
      break;
    }
    recentre(ix, seed_centre, users, p, s, centres);
    if (centres.empty()) break;
    previous.swap(users);
  }
  if (centres.empty()) return g;
  auto group = group_of(centres, p.m);
  // Report users that fit the reported centres (the loop may end right after a reduce step).
  if (!users_fit_centres) fit_users(ix, group, p, s, users);
  if (users.size() < p.n || group.size() < p.m) return g;
  g.repos.assign(group.begin(), group.end());
  if (p.extend_repos)
    g.candidates.assign(centres.begin() + static_cast<std::ptrdiff_t>(group.size()), centres.end());
  g.users = std::move(users);
  return g;
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

std::vector<std::uint32_t> sorted_repos(const Group& g) {
  std::vector<std::uint32_t> r;
  for (const Centre& c : g.repos) r.push_back(c.repo);
  std::sort(r.begin(), r.end());
  return r;
}

}  // namespace

CopyCatchResult run_copycatch(const DetectionInput& input, const CopyCatchParams& p) {
  CopyCatchResult out;
  const unsigned threads = p.threads ? p.threads : default_threads();
  // Chunk-relative times are 32-bit: cap a chunk at 64 years.
  const auto chunks =
      make_time_chunks(input.stars, std::min(p.chunk_months, 768u), p.chunk_step_months);
  out.stats.chunks = chunks.size();
  for (std::size_t ci = 0; ci < chunks.size(); ++ci) {
    const TimeChunk& chunk = chunks[ci];
    if (chunk.first_star == chunk.last_star) continue;
    auto t0 = std::chrono::steady_clock::now();
    const ChunkIndex ix = build_chunk_index(input, chunk, threads);
    out.stats.peak_index_bytes = std::max(out.stats.peak_index_bytes, ix.memory_bytes());
    out.stats.seconds_index += seconds_since(t0);
    t0 = std::chrono::steady_clock::now();

    std::vector<std::uint32_t> seeds;
    for (std::uint32_t r = 0; r < ix.repos(); ++r)
      if (ix.repo_row(r).size() >= std::max(1u, p.min_seed_stars)) seeds.push_back(r);
    out.stats.seeds += seeds.size();

    std::vector<Group> groups(seeds.size());
    std::atomic<std::size_t> next{0};
    parallel_for(threads, threads, [&](std::size_t) {
      Scratch s(ix);
      for (std::size_t i = next.fetch_add(1); i < seeds.size(); i = next.fetch_add(1))
        groups[i] = search_seed(ix, seeds[i], p, s);
    });

    // Many seeds converge to the same group: keep the first (in seed order) of each.
    std::vector<std::size_t> unique;
    std::vector<std::uint32_t> seed_count;
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_hash;
    for (std::size_t i = 0; i < groups.size(); ++i) {
      if (groups[i].users.empty()) continue;
      ++out.stats.candidate_groups;
      const auto repos = sorted_repos(groups[i]);
      std::uint64_t h = 0;
      for (auto r : repos) h = mix(h, r);
      h = mix(h, 0xffffffffull);
      for (auto u : groups[i].users) h = mix(h, u);
      auto& bucket = by_hash[h];
      bool found = false;
      for (std::size_t k : bucket) {
        const Group& other = groups[unique[k]];
        if (other.users == groups[i].users && sorted_repos(other) == repos) {
          ++seed_count[k];
          found = true;
          break;
        }
      }
      if (!found) {
        bucket.push_back(unique.size());
        unique.push_back(i);
        seed_count.push_back(1);
      }
    }
    out.stats.unique_groups += unique.size();

    // Final filter: enough repositories that the cluster's users starred heavily.
    std::vector<LockstepCluster> found(unique.size());
    std::vector<std::uint8_t> keep(unique.size(), 0);
    std::atomic<std::size_t> next_group{0};
    parallel_for(threads, threads, [&](std::size_t) {
      std::vector<std::uint8_t> mark(ix.users(), 0);
      for (std::size_t k = next_group.fetch_add(1); k < unique.size();
           k = next_group.fetch_add(1)) {
        const Group& g = groups[unique[k]];
        for (auto u : g.users) mark[u] = 1;
        LockstepCluster c;
        c.chunk = static_cast<std::uint32_t>(ci);
        c.chunk_begin = chunk.begin;
        c.chunk_end = chunk.end;
        c.seed_repo = ix.repo_global[seeds[unique[k]]];
        c.seeds = seed_count[k];
        c.iterations = g.iterations;
        std::uint32_t marked = 0;
        for (const Centre& gc : g.repos) {
          std::uint32_t hits = 0;
          for (const ChunkEdge& e : ix.repo_row(gc.repo)) hits += mark[e.other];
          ClusterRepo cr;
          cr.repo = ix.repo_global[gc.repo];
          cr.centre = gc.centre + static_cast<double>(ix.base);
          cr.cluster_stars = hits;
          cr.marked = hits >= p.min_stars_per_repo;
          marked += cr.marked;
          c.repos.push_back(cr);
        }
        // Beyond the reference (off by default): a campaign larger than m repositories keeps
        // its other repositories in the candidate list; mark those its users starred in
        // lockstep too (>= min_stars_per_repo of them within delta_t of the centre).
        for (const Centre& gc : g.candidates) {
          std::uint32_t hits = 0;
          auto row = ix.repo_row(gc.repo);
          const ChunkEdge* end = row.data() + row.size();
          for (const ChunkEdge* e =
                   first_at_or_after(row, gc.centre - static_cast<double>(p.delta_t));
               e != end && e->time <= gc.centre + static_cast<double>(p.delta_t); ++e)
            hits += mark[e->other];
          if (hits < p.min_stars_per_repo) continue;
          ClusterRepo cr;
          cr.repo = ix.repo_global[gc.repo];
          cr.centre = gc.centre + static_cast<double>(ix.base);
          cr.cluster_stars = hits;
          cr.marked = true;
          cr.extension = true;
          c.repos.push_back(cr);
        }
        for (auto u : g.users) {
          mark[u] = 0;
          c.users.push_back(ix.user_global[u]);
        }
        std::sort(c.users.begin(), c.users.end());
        if (marked >= p.min_repos_with_stars) {
          keep[k] = 1;
          found[k] = std::move(c);
        }
      }
    });
    for (std::size_t k = 0; k < found.size(); ++k)
      if (keep[k]) out.clusters.push_back(std::move(found[k]));
    out.stats.seconds_search += seconds_since(t0);
  }
  out.stats.clusters = out.clusters.size();
  out.star_is_fake = mark_cluster_stars(input, out.clusters);
  return out;
}

std::vector<std::uint8_t> mark_cluster_stars(const DetectionInput& input,
                                             const std::vector<LockstepCluster>& clusters,
                                             const std::vector<std::uint8_t>& selected) {
  std::vector<std::uint8_t> fake(input.stars.size(), 0);
  // Group clusters by chunk so each chunk's stars are scanned once.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < clusters.size(); ++i)
    if (selected.empty() || (i < selected.size() && selected[i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return clusters[a].chunk_begin < clusters[b].chunk_begin;
  });
  std::vector<std::uint8_t> repo_hit(input.repos.size(), 0);
  auto by_time = [](const Star& s, std::int64_t t) { return s.time < t; };
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    const std::int64_t begin = clusters[order[i]].chunk_begin, end = clusters[order[i]].chunk_end;
    std::vector<std::uint64_t> pairs;
    std::vector<std::uint32_t> touched;
    for (; j < order.size() && clusters[order[j]].chunk_begin == begin; ++j) {
      const LockstepCluster& c = clusters[order[j]];
      for (const ClusterRepo& r : c.repos) {
        if (!r.marked) continue;
        if (!repo_hit[r.repo]) touched.push_back(r.repo);
        repo_hit[r.repo] = 1;
        for (auto u : c.users) pairs.push_back((std::uint64_t{r.repo} << 32) | u);
      }
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    auto lo = std::lower_bound(input.stars.begin(), input.stars.end(), begin, by_time);
    auto hi = std::lower_bound(lo, input.stars.end(), end, by_time);
    for (auto it = lo; it != hi; ++it) {
      if (!repo_hit[it->repo]) continue;
      const std::uint64_t key = (std::uint64_t{it->repo} << 32) | it->actor;
      if (std::binary_search(pairs.begin(), pairs.end(), key))
        fake[static_cast<std::size_t>(it - input.stars.begin())] = 1;
    }
    for (auto r : touched) repo_hit[r] = 0;
    i = j;
  }
  return fake;
}

}  // namespace hubguard::stars
