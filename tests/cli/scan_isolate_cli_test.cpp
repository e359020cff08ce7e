// `hubguard scan --isolate`: each file parsed in a worker process. The report must be the
// one the in-process scan gives, and a worker that dies on a file must cost only that file.
#include <gtest/gtest.h>

#include <cstdlib>

#include <nlohmann/json.hpp>
#include <string>

#include "run_command.hpp"

namespace hubguard::testing {
namespace {

const std::string kSamples = shell_quote(std::string(HUBGUARD_SOURCE_DIR) + "/samples");

TEST(ScanIsolateCli, SameReportAsInProcess) {
  const auto in_process = run_hubguard("scan -f json " + kSamples);
  const auto isolated = run_hubguard("scan --isolate -j 2 -f json " + kSamples);
  EXPECT_EQ(isolated.exit_code, in_process.exit_code);
  const auto a = nlohmann::json::parse(in_process.out);
  const auto b = nlohmann::json::parse(isolated.out);
  ASSERT_GE(a["files"].size(), 5u);
  EXPECT_EQ(a["files"], b["files"]);
}

TEST(ScanIsolateCli, AWorkerCrashMakesOnlyThatFileUnscannable) {
  // The worker's test-only fault switch (hub/isolated_scanner.hpp) crashes on this one file.
  ::setenv("HUBGUARD_WORKER_TEST_FAULT", "crash:tiny_state_dict.pt", 1);
  const auto r = run_hubguard("scan --isolate -j 2 -f json " + kSamples);
  ::unsetenv("HUBGUARD_WORKER_TEST_FAULT");
  const auto report = nlohmann::json::parse(r.out);
  std::size_t crashed = 0, scanned = 0;
  for (const auto& f : report["files"]) {
    if (f["path"].get<std::string>().ends_with("tiny_state_dict.pt")) {
      ++crashed;
      EXPECT_EQ(f["verdict"], "unscannable");
      EXPECT_NE(f["error"].get<std::string>().find("SIGSEGV"), std::string::npos) << f["error"];
    } else if (f["verdict"] != "unscannable") {
      ++scanned;
    }
  }
  EXPECT_EQ(crashed, 1u);
  EXPECT_EQ(scanned + crashed, report["files"].size()) << "every other file still scanned";
  EXPECT_EQ(r.exit_code, 1) << "the malicious samples still fail the run";
}

}  // namespace
}  // namespace hubguard::testing
