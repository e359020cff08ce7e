// End to end on the synthetic archive: the planted campaigns are found, the bait (real stars
// shaped like fakes) is screened without losing true fakes, and the output files are
// deterministic and in the documented shapes.
#include "hubguard/stars/detect.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "hubguard/stars/detect_output.hpp"
#include "hubguard/stars/evaluate.hpp"
#include "hubguard/stars/generator.hpp"
#include "stars_test_support.hpp"

namespace hubguard::stars {
namespace {

const SyntheticInput& archive() {
  static const SyntheticInput data = generate_detection_input(generator_params_for_scale(1.0, 7));
  return data;
}

std::uint64_t get(const std::map<std::string, std::uint64_t>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

TEST(Detect, FindsPlantedCampaignsWithHighPrecisionAndRecall) {
  DetectParams p;
  p.copycatch.extend_repos = true;
  const Evaluation e = evaluate_in_memory(archive(), detect_fake_stars(archive().input, p));
  EXPECT_GE(e.stars.precision(), 0.99);
  EXPECT_GE(e.stars.recall(), 0.95);
  EXPECT_GE(e.campaigns.precision(), 0.95);
  EXPECT_GE(e.campaigns.recall(), 0.95);
}

TEST(Detect, ReferenceSettingsFindLowActivityCampaignsAndAtMostMReposPerLockstepCluster) {
  const auto& data = archive();
  const DetectResult r = detect_fake_stars(data.input);
  const Evaluation e = evaluate_in_memory(data, r);
  // Every planted low-activity star is found by the reference rule.
  std::size_t low_total = 0, low_found = 0;
  for (std::size_t i = 0; i < data.input.stars.size(); ++i)
    if (data.star_kind[i] == StarKind::kLowActivityCampaign) {
      ++low_total;
      low_found += (r.signature[i] & kSignatureLowActivity) != 0;
    }
  EXPECT_GT(low_total, 0u);
  EXPECT_EQ(low_found, low_total);
  for (const auto& c : r.lockstep.clusters) EXPECT_EQ(c.repos.size(), 10u);
  EXPECT_GE(e.stars.precision(), 0.99);
  EXPECT_GE(e.stars.recall(), 0.6);
}

TEST(Detect, ScreenRemovesBaitWithoutLosingTrueFakes) {
  DetectParams p;
  p.copycatch.extend_repos = true;
  const Evaluation e = evaluate_in_memory(archive(), detect_fake_stars(archive().input, p));
  // The bait is bait: the reference labels it ...
  EXPECT_GT(get(e.bait_flagged_reference, "course"), 0u);
  EXPECT_GT(get(e.bait_flagged_reference, "launch"), 0u);
  EXPECT_GT(get(e.bait_flagged_reference, "viral"), 0u);
  EXPECT_LT(e.stars_reference.precision(), 0.9);
  EXPECT_GT(e.campaigns_reference.false_positives, 0u);
  // ... and the screen clears it, keeping every true fake the reference found.
  std::uint64_t bait = 0, bait_reference = 0;
  for (const auto& [k, v] : e.bait_flagged) bait += v;
  for (const auto& [k, v] : e.bait_flagged_reference) bait_reference += v;
  EXPECT_LE(bait * 100, bait_reference);
  EXPECT_EQ(e.stars.true_positives, e.stars_reference.true_positives);
  EXPECT_EQ(e.campaigns.true_positives, e.campaigns_reference.true_positives);
  EXPECT_EQ(e.campaigns.false_positives, 0u);
}

std::map<std::string, std::string> write_and_read(const DetectionInput& in, unsigned threads,
                                                  const std::filesystem::path& dir) {
  DetectParams p;
  p.copycatch.threads = threads;
  const auto r = detect_fake_stars(in, p);
  auto counts = write_detect_output(dir, in, r);
  EXPECT_TRUE(counts.ok());
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    files[entry.path().filename().string()] = testing::read_file(entry.path());
  return files;
}

TEST(DetectOutput, SameBytesWhateverTheThreadCount) {
  testing::TempDir a, b;
  const auto one = write_and_read(archive().input, 1, a.path());
  const auto two = write_and_read(archive().input, 2, b.path());
  ASSERT_EQ(one.size(), 6u);
  EXPECT_EQ(one, two);
}

TEST(DetectOutput, FilesHaveTheDocumentedShape) {
  testing::TempDir dir;
  const auto files = write_and_read(archive().input, 2, dir.path());
  const std::string& fake = files.at("fake_stars.csv");
  ASSERT_EQ(fake.rfind("actor,repo,created_at,signature\n", 0), 0u);
  const std::regex row(
      R"(^[^,\n]+,[^,\n]+/[^,\n]+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,(low_activity|lockstep|both)$)");
  std::istringstream lines(fake.substr(fake.find('\n') + 1));
  std::string line;
  std::size_t rows = 0;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(std::regex_match(line, row)) << line;
    ++rows;
  }
  EXPECT_GT(rows, 1000u);
  EXPECT_EQ(
      files.at("campaigns.csv")
          .rfind("repo,fake_stars,total_stars,fake_share,anomalous_months,first_fake,last_fake\n",
                 0),
      0u);
  EXPECT_EQ(files.at("suspected_false_positives.csv")
                .rfind("actor,repo,created_at,signature,reason\n", 0),
            0u);
  const auto clusters = nlohmann::json::parse(files.at("clusters.json"));
  ASSERT_TRUE(clusters.is_array());
  ASSERT_FALSE(clusters.empty());
  for (const auto& c : clusters) {
    EXPECT_TRUE(c["chunk"].contains("begin"));
    EXPECT_GE(c["users"].size(), 50u);
    EXPECT_EQ(c["repos"].size(), 10u);
    EXPECT_TRUE(c["repos"][0].contains("centre"));
  }
}

TEST(DetectOutput, EmptyInputGivesHeadersOnly) {
  testing::TempDir dir;
  const DetectionInput empty;
  const auto r = detect_fake_stars(empty);
  EXPECT_TRUE(r.lockstep.clusters.empty());
  auto counts = write_detect_output(dir.path(), empty, r);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(testing::read_file(dir.path() / "fake_stars.csv"), "actor,repo,created_at,signature\n");
  EXPECT_EQ(testing::read_file(dir.path() / "clusters.json"), "[]\n");
}

TEST(DetectOutput, UnwritableDirectoryIsAnError) {
  testing::TempDir dir;
  testing::write_file(dir.path() / "file", "x");
  const DetectionInput empty;
  auto counts = write_detect_output(dir.path() / "file" / "sub", empty, detect_fake_stars(empty));
  EXPECT_FALSE(counts.ok());
}

}  // namespace
}  // namespace hubguard::stars
