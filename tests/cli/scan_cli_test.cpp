#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "run_command.hpp"

namespace hubguard::testing {
namespace {

namespace fs = std::filesystem;

TEST(ScanCli, MissingPathIsExitCode2) {
  auto r = run_hubguard("scan /nonexistent/hubguard-path 2>/dev/null");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(ScanCli, BadOptionValuesAreExitCode2) {
  EXPECT_EQ(run_hubguard("scan --format xml . 2>/dev/null").exit_code, 2);
  EXPECT_EQ(run_hubguard("scan --fail-on clean . 2>/dev/null").exit_code, 2);
  EXPECT_EQ(run_hubguard("scan 2>/dev/null").exit_code, 2);
}

TEST(ScanCli, CleanDirectoryExitsZeroWithJsonShape) {
  auto dir = fresh_dir("hubguard_cli_clean");
  std::ofstream(dir / "notes.txt") << "nothing to see\n";
  auto r = run_hubguard("scan -f json " + shell_quote(dir.string()));
  EXPECT_EQ(r.exit_code, 0);
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["files"].size(), 1u);
  EXPECT_EQ(j["files"][0]["verdict"], "clean");
  EXPECT_EQ(j["summary"]["files"], 1);
  fs::remove_all(dir);
}

TEST(ScanCli, OutputFileIsWritten) {
  auto dir = fresh_dir("hubguard_cli_output");
  std::ofstream(dir / "a.txt") << "text\n";
  auto out = dir / "report.sarif";
  auto r = run_hubguard("scan -f sarif -o " + shell_quote(out.string()) + " " +
                        shell_quote((dir / "a.txt").string()));
  EXPECT_EQ(r.exit_code, 0);
  std::ifstream in(out);
  auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["version"], "2.1.0");
  fs::remove_all(dir);
}

TEST(ScanCli, FailOnThresholdControlsExitCode) {
  auto dir = fresh_dir("hubguard_cli_failon");
  // Text named like safetensors: an extension mismatch, verdict suspicious.
  std::ofstream(dir / "model.safetensors") << "not safetensors\n";
  const std::string path = shell_quote((dir / "model.safetensors").string());
  EXPECT_EQ(run_hubguard("scan -q " + path).exit_code, 0);
  EXPECT_EQ(run_hubguard("scan -q --fail-on suspicious " + path).exit_code, 1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hubguard::testing
