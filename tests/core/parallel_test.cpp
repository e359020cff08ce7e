#include "hubguard/core/parallel.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace hubguard {
namespace {

TEST(ParallelFor, VisitsEveryIndexExactlyOnce) {
  for (unsigned threads : {1u, 2u, 7u}) {
    std::vector<int> hits(1000, 0);
    parallel_for(hits.size(), threads, [&](std::size_t i) { hits[i] += 1; });
    for (int h : hits) ASSERT_EQ(h, 1) << "threads=" << threads;
  }
}

TEST(ParallelFor, ZeroItemsIsANoOp) {
  int calls = 0;
  parallel_for(0, 4, [&](std::size_t) { ++calls; });
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace hubguard
