// The synthetic archive: deterministic by seed, consistent activity summaries, and hour files
// that ingestion reads back into the same DetectionInput as the in-memory path.
#include "hubguard/stars/generator.hpp"

#include <gtest/gtest.h>
#include <libdeflate.h>

#include <regex>
#include <set>
#include <tuple>

#include "hubguard/stars/detection_input_builder.hpp"
#include "hubguard/stars/low_activity.hpp"
#include "stars_test_support.hpp"

namespace hubguard::stars {
namespace {

using StarKey = std::tuple<std::string, std::string, std::int64_t>;

std::multiset<StarKey> named_stars(const DetectionInput& in) {
  std::multiset<StarKey> out;
  for (const Star& s : in.stars)
    out.emplace(in.actors.name(s.actor), in.repos.name(s.repo), s.time);
  return out;
}

TEST(Generator, SameSeedSameArchiveOtherSeedOtherArchive) {
  const auto a = generate_detection_input(generator_params_for_scale(0.3, 5));
  const auto b = generate_detection_input(generator_params_for_scale(0.3, 5));
  const auto c = generate_detection_input(generator_params_for_scale(0.3, 6));
  EXPECT_EQ(named_stars(a.input), named_stars(b.input));
  EXPECT_EQ(a.star_kind, b.star_kind);
  EXPECT_NE(named_stars(a.input), named_stars(c.input));
}

TEST(Generator, PlantsEveryKindAndConsistentSummaries) {
  const auto d = generate_detection_input(generator_params_for_scale(0.5, 3));
  ASSERT_EQ(d.input.activity.size(), d.input.actors.size());
  std::map<StarKind, std::size_t> kinds;
  for (auto k : d.star_kind) ++kinds[k];
  for (auto k : {StarKind::kOrganic, StarKind::kOneTime, StarKind::kViral, StarKind::kLaunch,
                 StarKind::kCourse, StarKind::kLowActivityCampaign, StarKind::kLockstepCampaign})
    EXPECT_GT(kinds[k], 0u) << star_kind_name(k);
  std::vector<std::uint32_t> stars_of(d.input.actors.size(), 0);
  for (std::size_t i = 1; i < d.input.stars.size(); ++i)
    EXPECT_LE(d.input.stars[i - 1].time, d.input.stars[i].time);
  for (const Star& s : d.input.stars) ++stars_of[s.actor];
  for (std::size_t i = 0; i < d.input.stars.size(); ++i) {
    const Star& s = d.input.stars[i];
    const ActorSummary& a = d.input.activity[s.actor];
    EXPECT_GE(a.events, stars_of[s.actor]);
    EXPECT_LE(a.first_time, s.time);
    EXPECT_GE(a.last_time, s.time);
    // Planted low-activity accounts really are low-activity; organic ones are not.
    if (d.star_kind[i] == StarKind::kLowActivityCampaign) {
      EXPECT_TRUE(is_low_activity_account(a, {}));
    }
    if (d.star_kind[i] == StarKind::kCourse) {
      EXPECT_FALSE(is_low_activity_account(a, {}));
    }
  }
}

std::string gunzip(const std::string& bytes) {
  std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)> d(
      libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
  std::string out(bytes.size() * 20 + 4096, '\0');
  std::size_t n = 0;
  EXPECT_EQ(
      libdeflate_gzip_decompress(d.get(), bytes.data(), bytes.size(), out.data(), out.size(), &n),
      LIBDEFLATE_SUCCESS);
  out.resize(n);
  return out;
}

TEST(GeneratorArchive, HourFilesHaveTheArchiveShapeAndIngestBackToTheSameInput) {
  testing::TempDir dir;
  auto params = generator_params_for_scale(0.2, 11);
  params.days = 45;  // fewer hour files keep the test quick
  auto stats = write_synthetic_archive(params, dir.path());
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_GT(stats->hour_files, 500u);

  const std::regex name(R"(\d{4}-\d\d-\d\d-\d{1,2}\.json\.gz)");
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() / "archive")) {
    EXPECT_TRUE(std::regex_match(e.path().filename().string(), name)) << e.path();
    files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  const std::string first = gunzip(testing::read_file(files.front()));
  EXPECT_NE(first.find(R"("actor":{"id":)"), std::string::npos);
  EXPECT_NE(first.find(R"("repo":{"id":)"), std::string::npos);
  EXPECT_NE(first.find(R"("created_at":")"), std::string::npos);

  const auto memory = generate_detection_input(params);
  auto ingested = detection_input_from_archives({dir.path() / "archive"});
  ASSERT_TRUE(ingested.ok()) << ingested.error().message;
  EXPECT_EQ(named_stars(*ingested), named_stars(memory.input));
  // Activity summaries agree account by account.
  std::size_t compared = 0;
  for (std::uint32_t a = 0; a < ingested->actors.size(); ++a) {
    const auto m = memory.input.actors.find(ingested->actors.name(a));
    ASSERT_NE(m, kNoId);
    const ActorSummary &x = ingested->activity[a], &y = memory.input.activity[m];
    EXPECT_EQ(std::tie(x.first_time, x.last_time, x.events, x.distinct_times, x.distinct_repos,
                       x.distinct_orgs),
              std::tie(y.first_time, y.last_time, y.events, y.distinct_times, y.distinct_repos,
                       y.distinct_orgs))
        << ingested->actors.name(a);
    ++compared;
  }
  EXPECT_GT(compared, 1000u);

  // Truth files list exactly the planted stars.
  std::size_t planted = 0;
  for (auto k : memory.star_kind) planted += is_planted_fake(k);
  const std::string truth = testing::read_file(dir.path() / "truth" / "truth_fake_stars.csv");
  EXPECT_EQ(static_cast<std::size_t>(std::count(truth.begin(), truth.end(), '\n')), planted + 1);
  const std::string camps = testing::read_file(dir.path() / "truth" / "truth_campaigns.csv");
  EXPECT_EQ(static_cast<std::size_t>(std::count(camps.begin(), camps.end(), '\n')),
            memory.campaigns.size() + 1);
}

}  // namespace
}  // namespace hubguard::stars
