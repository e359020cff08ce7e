// `stars generate`, `stars detect` and `stars evaluate` through the binary: the synthetic
// archive's hour files go through ingestion and detection, and evaluation reads the result.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_command.hpp"

namespace hubguard::testing {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(StarsDetectCli, GenerateDetectEvaluate) {
  const auto dir = fresh_dir("hubguard_cli_stars_detect");
  const std::string synth = shell_quote((dir / "synth").string()),
                    out = shell_quote((dir / "out").string());
  // Six weeks keep the archive small (about a thousand hour files).
  auto gen = run_hubguard("stars generate --out " + synth + " --seed 4 --scale 0.3 --days 42");
  ASSERT_EQ(gen.exit_code, 0) << gen.out;
  ASSERT_TRUE(fs::exists(dir / "synth" / "truth" / "truth_fake_stars.csv"));

  auto det = run_hubguard("stars detect " + shell_quote((dir / "synth" / "archive").string()) +
                          " --out " + out + " --extend-clusters");
  EXPECT_EQ(det.exit_code, 1) << det.out;  // campaigns found
  EXPECT_NE(det.out.find("campaigns "), std::string::npos) << det.out;
  for (const char* f : {"fake_stars.csv", "suspected_false_positives.csv", "campaigns.csv",
                        "reference_campaigns.csv", "clusters.json", "summary.json"})
    EXPECT_TRUE(fs::exists(dir / "out" / f)) << f;
  EXPECT_EQ(slurp(dir / "out" / "fake_stars.csv").rfind("actor,repo,created_at,signature\n", 0),
            0u);

  auto ev = run_hubguard("stars evaluate --truth " + synth + " --out " + out);
  EXPECT_EQ(ev.exit_code, 0) << ev.out;
  EXPECT_NE(ev.out.find("fake stars"), std::string::npos) << ev.out;
  EXPECT_TRUE(fs::exists(dir / "out" / "evaluation.json"));

  // Same input, same bytes.
  const std::string out2 = shell_quote((dir / "out2").string());
  auto det2 = run_hubguard("stars detect " + shell_quote((dir / "synth" / "archive").string()) +
                           " --out " + out2 + " --extend-clusters --threads 1");
  EXPECT_EQ(det2.exit_code, 1);
  for (const char* f : {"fake_stars.csv", "campaigns.csv", "clusters.json"})
    EXPECT_EQ(slurp(dir / "out" / f), slurp(dir / "out2" / f)) << f;
  fs::remove_all(dir);
}

TEST(StarsDetectCli, MissingInputIsAUsageError) {
  const auto dir = fresh_dir("hubguard_cli_stars_detect_empty");
  auto r = run_hubguard("stars detect --out " + shell_quote((dir / "out").string()));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hubguard::testing
