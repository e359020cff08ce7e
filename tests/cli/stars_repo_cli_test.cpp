// `hubguard stars repo`: the one-repository verdict agrees with what `stars detect` writes for
// the same input and options, and an unknown repository is a usage error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_command.hpp"

namespace hubguard::testing {
namespace {

namespace fs = std::filesystem;

const std::string kInput = "--synthetic 0.05 --seed 3 --threads 2";

TEST(StarsRepoCli, CampaignRepositoryMatchesDetectOutput) {
  const fs::path work = fresh_dir("hubguard_stars_repo_cli");
  const auto detect = run_hubguard("stars detect " + kInput + " --out " + shell_quote((work / "det").string()));
  ASSERT_EQ(detect.exit_code, 1) << detect.out;  // the synthetic archive plants campaigns
  std::ifstream csv(work / "det/campaigns.csv");
  std::string header, row;
  std::getline(csv, header);
  ASSERT_TRUE(std::getline(csv, row));
  // repo,fake_stars,total_stars,...
  std::istringstream fields(row);
  std::string repo, fake, total;
  std::getline(fields, repo, ',');
  std::getline(fields, fake, ',');
  std::getline(fields, total, ',');

  const auto r = run_hubguard("stars repo " + shell_quote(repo) + " " + kInput);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find(repo + ": FAKE-STAR CAMPAIGN"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  stars    " + total + " from "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  fake     " + fake + " ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("campaign months"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(".json.gz"), std::string::npos) << "sample stars name their hour file";

  // Explaining the detect run's own output gives the same verdict without detecting again.
  const auto from_dir = run_hubguard("stars repo " + shell_quote(repo) + " " + kInput +
                                     " --detection " + shell_quote((work / "det").string()));
  EXPECT_EQ(from_dir.exit_code, 1);
  EXPECT_EQ(from_dir.out, r.out);
  fs::remove_all(work);
}

TEST(StarsRepoCli, UnknownRepositoryIsExitCode2) {
  EXPECT_EQ(run_hubguard("stars repo no-such/repository " + kInput + " 2>/dev/null").exit_code, 2);
  EXPECT_EQ(run_hubguard("stars repo 2>/dev/null").exit_code, 2);
}

}  // namespace
}  // namespace hubguard::testing
