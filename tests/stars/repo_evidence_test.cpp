// One repository's evidence (what `stars repo` prints and the stars HTML pages draw), on a hand
// input with a planted low-activity burst and a planted lockstep ring around one repository.
#include "hubguard/stars/repo_evidence.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "hand_input.hpp"
#include "hubguard/stars/detect_output.hpp"
#include "hubguard/stars/detect_output_reader.hpp"
#include "hubguard/stars/repo_verdict_text.hpp"
#include "hubguard/stars/stars_html.hpp"

namespace hubguard::stars {
namespace {

using testing::HandInput;
using testing::kDay;
using testing::kT0;

constexpr const char* kTarget = "evil/target";

// evil/target: 60 low-activity stars on 2023-01-11, 60 stars from a lockstep ring of 60
// accounts that also star 9 other repositories around 2023-02-10, and 30 organic stars from
// established accounts over 90 days.
DetectionInput planted_input() {
  HandInput h;
  const auto target = h.repo(kTarget);
  for (int i = 0; i < 60; ++i) {
    const auto a = h.actor(i == 0 ? "<b>la0</b>" : "la" + std::to_string(i));
    h.star(a, target, kT0 + 10 * kDay + 13 * 3600 + i * 30);
  }
  std::vector<std::uint32_t> ring{target};
  for (int r = 1; r < 10; ++r) ring.push_back(h.repo("ring/r" + std::to_string(r)));
  for (int u = 0; u < 60; ++u) {
    const auto a = h.actor("ring" + std::to_string(u));
    for (std::size_t r = 0; r < ring.size(); ++r)
      h.star(a, ring[r], kT0 + 40 * kDay + u * 60 + static_cast<std::int64_t>(r) * 600);
  }
  for (int i = 0; i < 30; ++i) {
    const auto a = h.actor("person" + std::to_string(i));
    h.star(a, target, kT0 + i * 3 * kDay + 5000);
    h.make_established(a);
  }
  return h.finish();
}

struct Planted {
  DetectionInput input = planted_input();
  DetectResult result = detect_fake_stars(input);
};

const Planted& planted() {
  static const Planted p;
  return p;
}

TEST(RepoEvidence, CountsBySignatureAndCampaign) {
  auto e = repo_star_evidence(planted().input, planted().result, kTarget);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->counts.total, 150u);
  EXPECT_EQ(e->counts.fake, 120u);
  EXPECT_EQ(e->counts.low_activity, 60u);
  EXPECT_EQ(e->counts.lockstep, 60u);
  EXPECT_EQ(e->counts.organic(), 30u);
  ASSERT_TRUE(e->campaign);
  EXPECT_EQ(e->campaign->anomalous_months.size(), 2u);
  EXPECT_EQ(repo_verdict(*e), "campaign");
  const auto day_total = std::accumulate(e->days.begin(), e->days.end(), std::uint64_t{0},
                                         [](std::uint64_t s, const StarPeriod& p) { return s + p.total(); });
  EXPECT_EQ(day_total, 150u);
}

TEST(RepoEvidence, LockstepClusterRasterHasEveryRingStar) {
  auto e = repo_star_evidence(planted().input, planted().result, kTarget);
  ASSERT_TRUE(e);
  ASSERT_EQ(e->clusters.size(), 1u);
  const auto& c = e->clusters[0];
  EXPECT_EQ(c.users, 60u);
  EXPECT_EQ(c.repos.size(), 10u);
  EXPECT_EQ(c.this_repo_stars, 60u);
  EXPECT_EQ(c.accounts.size(), 60u);
  EXPECT_EQ(c.points.size(), 600u);
  EXPECT_EQ(c.accounts.front(), "ring0");  // rows in order of first star
}

TEST(RepoEvidence, SampleIsEarliestFakeStarsWithArchiveHour) {
  auto e = repo_star_evidence(planted().input, planted().result, kTarget, 5);
  ASSERT_TRUE(e);
  ASSERT_EQ(e->sample.size(), 5u);
  EXPECT_EQ(e->sample[0].login, "<b>la0</b>");
  EXPECT_EQ(e->sample[0].signature, "low_activity");
  EXPECT_EQ(gharchive_hour_file(e->sample[0].starred_at), "2023-01-11-13.json.gz");
  EXPECT_EQ(gharchive_hour_file(kT0 + 5 * 3600), "2023-01-01-5.json.gz");  // hours not padded
}

TEST(RepoEvidence, UnknownRepositoryHasNone) {
  EXPECT_FALSE(repo_star_evidence(planted().input, planted().result, "no/such"));
}

TEST(RepoVerdictText, NamesTheEvidence) {
  auto e = repo_star_evidence(planted().input, planted().result, kTarget);
  ASSERT_TRUE(e);
  std::ostringstream out;
  write_repo_verdict(*e, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("evil/target: FAKE-STAR CAMPAIGN"), std::string::npos) << text;
  EXPECT_NE(text.find("fake     120 (80.0% of all stars): low_activity 60, lockstep 60, both 0"),
            std::string::npos) << text;
  EXPECT_NE(text.find("2023-01 (60 fake of "), std::string::npos) << text;
  EXPECT_NE(text.find("cluster #0: 60 accounts, 10 repositories"), std::string::npos) << text;
  EXPECT_NE(text.find("2023-01-11-13.json.gz"), std::string::npos) << text;
  EXPECT_NE(text.find("all  |"), std::string::npos) << text;
}

TEST(Sparkline, ScalesToTheMaximum) {
  EXPECT_EQ(sparkline({0, 1, 8}, 8), " ▁█");
  EXPECT_EQ(sparkline({4}, 8), "▄");
  EXPECT_EQ(sparkline({3}, 0), " ");
}

TEST(StarsHtml, PageFileNamesKeepToASafeAlphabet) {
  EXPECT_EQ(repo_page_file_name(3, "a/../b<x>"), "repo-3-a__..__b_x_.html");
}

TEST(StarsHtml, IndexAndPagePerCampaignWithEscapedNames) {
  const auto dir = std::filesystem::temp_directory_path() / "hubguard_stars_html_test";
  std::filesystem::remove_all(dir);
  auto counts = write_stars_html(dir, planted().input, planted().result);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->pages, counts->flagged);
  EXPECT_GE(counts->pages, 1u);
  auto slurp = [](const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  const std::string index = slurp(dir / "index.html");
  const std::string page_name = repo_page_file_name(1, kTarget);
  EXPECT_NE(index.find("<a href=\"" + page_name + "\">evil/target</a>"), std::string::npos);
  const std::string page = slurp(dir / page_name);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("Lockstep cluster #0"), std::string::npos);
  EXPECT_NE(page.find("&lt;b&gt;la0&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(page.find("<b>la0</b>"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hubguard::stars

namespace hubguard::stars {
namespace {

TEST(DetectOutputReader, ReadsBackWhatDetectWrote) {
  const auto dir = std::filesystem::temp_directory_path() / "hubguard_detect_output_reader_test";
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(write_detect_output(dir, planted().input, planted().result));
  auto back = read_detect_output(dir, planted().input);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->signature, planted().result.signature);
  EXPECT_EQ(back->confident, planted().result.confident);
  ASSERT_EQ(back->campaigns.size(), planted().result.campaigns.size());
  ASSERT_EQ(back->lockstep.clusters.size(), planted().result.lockstep.clusters.size());
  EXPECT_EQ(back->lockstep.clusters[0].users, planted().result.lockstep.clusters[0].users);
  const auto a = repo_star_evidence(planted().input, planted().result, kTarget);
  const auto b = repo_star_evidence(planted().input, *back, kTarget);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(b->counts.fake, a->counts.fake);
  EXPECT_EQ(b->counts.lockstep, a->counts.lockstep);
  EXPECT_EQ(b->campaign->anomalous_months, a->campaign->anomalous_months);
  ASSERT_EQ(b->clusters.size(), a->clusters.size());
  EXPECT_EQ(b->clusters[0].points.size(), a->clusters[0].points.size());
  std::filesystem::remove_all(dir);
}

TEST(DetectOutputReader, OutputOfAnotherInputIsAnErrorNamingTheLine) {
  const auto dir = std::filesystem::temp_directory_path() / "hubguard_detect_output_reader_other";
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(write_detect_output(dir, planted().input, planted().result));
  std::size_t lines = 0;
  {
    std::ifstream in(dir / "fake_stars.csv");
    for (std::string line; std::getline(in, line);) ++lines;
  }
  std::ofstream(dir / "fake_stars.csv", std::ios::app) << "nobody,evil/target,2023-01-11T13:00:00Z,lockstep\n";
  auto back = read_detect_output(dir, planted().input);
  ASSERT_FALSE(back);
  const std::string where = "fake_stars.csv:" + std::to_string(lines + 1) + ": no such star";
  EXPECT_NE(back.error().message.find(where), std::string::npos)
      << back.error().message;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hubguard::stars
