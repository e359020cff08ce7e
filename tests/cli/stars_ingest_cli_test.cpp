#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "run_command.hpp"

namespace hubguard::testing {
namespace {

namespace fs = std::filesystem;

const char* kLines =
    R"({"type":"WatchEvent","actor":{"login":"a"},"repo":{"name":"o/r"},"payload":{"action":"started"},"created_at":"2015-01-01T00:00:00Z"})"
    "\n"
    R"({"type":"PushEvent","actor":{"login":"a"},"repo":{"name":"a/x"},"created_at":"2015-01-01T00:00:05Z"})"
    "\n"
    "this line is broken\n";

TEST(StarsIngestCli, IngestsReportsProblemsAndSkipsKnownHours) {
  auto dir = fresh_dir("hubguard_cli_stars_ingest");
  fs::create_directories(dir / "in");
  std::ofstream(dir / "in" / "2015-01-01-0.json") << kLines;
  const std::string store = shell_quote((dir / "store").string());
  auto r = run_hubguard("stars ingest " + shell_quote((dir / "in").string()) + " --store " + store + " -j 1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("events 2, stars 1, malformed 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("store "), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(dir / "store" / "MANIFEST"));

  auto again = run_hubguard("stars ingest " + shell_quote((dir / "in").string()) + " --store " + store);
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("already in the store, skipped"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("2 events in 1 segments"), std::string::npos) << again.out;
  fs::remove_all(dir);
}

TEST(StarsIngestCli, UsageAndStoreErrorsAreExitCode2) {
  auto dir = fresh_dir("hubguard_cli_stars_ingest_err");
  EXPECT_EQ(run_hubguard("stars ingest 2>/dev/null").exit_code, 2);
  EXPECT_EQ(run_hubguard("stars ingest /nonexistent/hours --store " + shell_quote((dir / "s").string()) +
                         " 2>/dev/null").exit_code, 2);
  // A directory that is not a store is refused rather than written into.
  std::ofstream(dir / "other.txt") << "x";
  std::ofstream(dir / "h.json") << kLines;
  EXPECT_EQ(run_hubguard("stars ingest " + shell_quote((dir / "h.json").string()) + " --store " +
                         shell_quote(dir.string()) + " 2>/dev/null").exit_code, 2);
  // A corrupt store is refused with exit code 2.
  const auto store = dir / "store";
  ASSERT_EQ(run_hubguard("stars ingest " + shell_quote((dir / "h.json").string()) + " --store " +
                         shell_quote(store.string()) + " >/dev/null").exit_code, 0);
  std::ofstream(store / "MANIFEST", std::ios::trunc) << "garbage";
  std::ofstream(dir / "h2.json") << kLines;
  EXPECT_EQ(run_hubguard("stars ingest " + shell_quote((dir / "h2.json").string()) + " --store " +
                         shell_quote(store.string()) + " 2>/dev/null").exit_code, 2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hubguard::testing
