#include "hubguard/stars/dictionary.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hubguard::stars {
namespace {

TEST(Dictionary, AssignsDenseIdsInFirstSeenOrder) {
  Dictionary d;
  EXPECT_EQ(d.intern("zed"), 0u);
  EXPECT_EQ(d.intern("amy"), 1u);
  EXPECT_EQ(d.intern("zed"), 0u);
  EXPECT_EQ(d.size(), 2u);
  EXPECT_EQ(d.name(0), "zed");
  EXPECT_EQ(d.name(1), "amy");
  EXPECT_EQ(d.find("amy"), 1u);
  EXPECT_EQ(d.find("bob"), kNoId);
}

TEST(Dictionary, EmptyDictionaryFindsNothing) {
  Dictionary d;
  EXPECT_EQ(d.find(""), kNoId);
  EXPECT_EQ(d.size(), 0u);
}

TEST(Dictionary, EmptyNameIsANameLikeAnyOther) {
  Dictionary d;
  EXPECT_EQ(d.intern(""), 0u);
  EXPECT_EQ(d.intern("a"), 1u);
  EXPECT_EQ(d.find(""), 0u);
  EXPECT_EQ(d.name(0), "");
}

TEST(Dictionary, SurvivesGrowthWithEveryNameFindable) {
  Dictionary d;
  for (int i = 0; i < 100000; ++i) ASSERT_EQ(d.intern("user" + std::to_string(i)), static_cast<std::uint32_t>(i));
  for (int i = 0; i < 100000; i += 997) EXPECT_EQ(d.find("user" + std::to_string(i)), static_cast<std::uint32_t>(i));
  EXPECT_EQ(d.name(12345), "user12345");
  // Names cost their bytes plus a few words each, not a node-based map's ~120 bytes.
  EXPECT_LT(d.memory_bytes(), 100000u * 40u);
}

}  // namespace
}  // namespace hubguard::stars
