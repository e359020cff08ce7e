#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "run_command.hpp"

namespace hubguard::testing {
namespace {

namespace fs = std::filesystem;

void put(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

// os.system in a protocol-0 pickle, written here and never loaded.
const std::string kEvilPickle = "cos\nsystem\n(S'echo hubguard-test'\ntR.";

fs::path mirror(const std::string& name) {
  auto dir = fresh_dir(name);
  put(dir / "m/models/alice/good/config.json", R"({"architectures": ["X"]})");
  put(dir / "m/models/alice/good/notes.txt", "weights elsewhere\n");
  put(dir / "m/models/eve/evil/model.pkl", kEvilPickle);
  put(dir / "m/datasets/bob/data/loader.py", "import datasets\n");
  return dir;
}

std::string hub_scan(const fs::path& dir, const std::string& extra) {
  return "hub scan -q --cache " + shell_quote((dir / "cache.sqlite").string()) + " " + extra + " " +
         shell_quote((dir / "m").string());
}

TEST(HubScanCli, JsonHasRepositoriesWithKindVerdictFilesAndSummary) {
  auto dir = mirror("hubguard_hub_cli_json");
  auto r = run_hubguard(hub_scan(dir, "-f json"));
  EXPECT_EQ(r.exit_code, 1);  // a dangerous repository at the default --fail-on
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["repositories"].size(), 3u);
  const auto& data = j["repositories"][0];
  EXPECT_EQ(data["path"], "datasets/bob/data");
  EXPECT_EQ(data["kind"], "dataset");
  EXPECT_EQ(data["verdict"], "clean");
  EXPECT_EQ(data["contents"]["dataset_scripts"], nlohmann::json::array({"loader.py"}));
  const auto& evil = j["repositories"][2];
  EXPECT_EQ(evil["path"], "models/eve/evil");
  EXPECT_EQ(evil["kind"], "model");
  ASSERT_EQ(evil["files"].size(), 1u);
  const auto& f = evil["files"][0];
  // The entries are shaped as `hubguard scan --format json` files.
  for (const char* key :
       {"path", "format", "size", "sha256", "verdict", "findings", "error", "formats_seen"})
    EXPECT_TRUE(f.contains(key)) << key;
  EXPECT_EQ(f["path"], "models/eve/evil/model.pkl");
  EXPECT_EQ(f["format"], "pickle");
  EXPECT_TRUE(evil["verdict"] == "dangerous" || evil["verdict"] == "malicious") << evil["verdict"];
  EXPECT_EQ(j["summary"]["repositories"], 3);
  EXPECT_EQ(j["summary"]["files"], 4);
  EXPECT_EQ(j["summary"]["files_scanned"], 4);
  EXPECT_TRUE(j["changes"].empty());
  fs::remove_all(dir);
}

TEST(HubScanCli, WarmRescanScansNothingAndAModifiedFileIsReportedAsChanged) {
  auto dir = mirror("hubguard_hub_cli_warm");
  ASSERT_EQ(run_hubguard(hub_scan(dir, "-f json")).exit_code, 1);
  auto warm = nlohmann::json::parse(run_hubguard(hub_scan(dir, "-f json")).out);
  EXPECT_EQ(warm["summary"]["files_scanned"], 0);
  EXPECT_EQ(warm["summary"]["files_from_cache"], 4);
  EXPECT_TRUE(warm["changes"].empty());

  // New content (not the same bytes as the other repository's pickle, which the cache knows).
  put(dir / "m/models/alice/good/notes.txt", "cos\nsystem\n(S'echo changed'\ntR.");
  auto r = run_hubguard(hub_scan(dir, "-f json"));
  auto changed = nlohmann::json::parse(r.out);
  EXPECT_EQ(changed["summary"]["files_scanned"], 1);
  ASSERT_EQ(changed["changes"].size(), 1u);
  EXPECT_EQ(changed["changes"][0]["path"], "models/alice/good/notes.txt");
  EXPECT_EQ(changed["changes"][0]["change"], "modified");
  EXPECT_EQ(changed["changes"][0]["previous"], "clean");
  EXPECT_NE(changed["changes"][0]["current"], "clean");

  // Text output for people lists the change and the flagged repositories first.
  put(dir / "m/models/alice/good/notes.txt", "back to text\n");
  auto text = run_hubguard(hub_scan(dir, "")).out;
  EXPECT_NE(text.find("Changes since the last run"), std::string::npos);
  EXPECT_LT(text.find("models/alice/good"), text.find("3 repositories")) << text;
  fs::remove_all(dir);
}

TEST(HubScanCli, IsolatedByDefaultAndSameVerdictsAsThreads) {
  auto dir = mirror("hubguard_hub_cli_isolated");
  auto isolated = nlohmann::json::parse(run_hubguard(hub_scan(dir, "--no-cache -j 2 -f json")).out);
  auto threads =
      nlohmann::json::parse(run_hubguard(hub_scan(dir, "--no-cache --no-isolation -f json")).out);
  ASSERT_EQ(isolated["repositories"].size(), threads["repositories"].size());
  for (std::size_t i = 0; i < threads["repositories"].size(); ++i)
    EXPECT_EQ(isolated["repositories"][i]["verdict"], threads["repositories"][i]["verdict"]);
  fs::remove_all(dir);
}

TEST(HubScanCli, ExitCodes) {
  auto dir = mirror("hubguard_hub_cli_exit");
  fs::remove_all(dir / "m/models/eve");
  EXPECT_EQ(run_hubguard(hub_scan(dir, "")).exit_code, 0);
  put(dir / "m/models/alice/good/model.safetensors", "text, not safetensors\n");  // suspicious
  EXPECT_EQ(run_hubguard(hub_scan(dir, "")).exit_code, 0);
  EXPECT_EQ(run_hubguard(hub_scan(dir, "--fail-on suspicious")).exit_code, 1);
  EXPECT_EQ(run_hubguard("hub scan -q /nonexistent/hubguard-mirror 2>/dev/null").exit_code, 2);
  EXPECT_EQ(run_hubguard(hub_scan(dir, "--fail-on clean") + " 2>/dev/null").exit_code, 2);
  put(dir / "bad.sqlite", std::string(4096, 'x'));
  EXPECT_EQ(run_hubguard("hub scan -q --cache " + shell_quote((dir / "bad.sqlite").string()) + " " +
                         shell_quote((dir / "m").string()) + " 2>/dev/null")
                .exit_code,
            2);
  fs::remove_all(dir);
}

TEST(HubScanCli, LogLinesOnStderrWhenNotATerminal) {
  auto dir = mirror("hubguard_hub_cli_log");
  auto r = run_hubguard("hub scan --no-cache --no-isolation " + shell_quote((dir / "m").string()) +
                        " 2>&1 >/dev/null");
  EXPECT_NE(r.out.find("hub scan: 3/3 repositories (100%)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\r'), std::string::npos);
  auto quiet = run_hubguard("hub scan -q --no-cache --no-isolation " +
                            shell_quote((dir / "m").string()) + " 2>&1 >/dev/null");
  EXPECT_EQ(quiet.out, "");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hubguard::testing
