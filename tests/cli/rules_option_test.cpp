// `hubguard scan --rules DIR`: user YARA rules run with the built-in ones; a rule file that
// does not compile is a usage error (exit 2) naming the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "run_command.hpp"

namespace hubguard {
namespace {

namespace fs = std::filesystem;
using testing::run_hubguard;
using testing::shell_quote;

class RulesOption : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hubguard_cli_rules_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "rules");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(RulesOption, BrokenRuleFileIsAUsageError) {
  std::ofstream(dir_ / "rules" / "broken.yar") << "rule broken { condition: $nothing }";
  std::ofstream(dir_ / "data.txt") << "hello";
  auto r = run_hubguard("scan --rules " + shell_quote((dir_ / "rules").string()) + " " +
                        shell_quote((dir_ / "data.txt").string()) + " 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("broken.yar"), std::string::npos) << r.out;
}

TEST_F(RulesOption, UserRuleFiresOnAPickleCodeString) {
  std::ofstream(dir_ / "rules" / "canary.yar")
      << "rule canary_string { meta: category = \"code-execution\" severity = \"high\" verdict = \"dangerous\" "
         "description = \"canary\" strings: $a = \"CANARY-4242\" condition: $a }";
  // Protocol 2: builtins.exec("print('CANARY-4242')")
  const std::string code = "print('CANARY-4242')";
  std::string pickle = std::string("\x80\x02", 2) + "cbuiltins\nexec\nX";
  for (int i = 0; i < 4; ++i) pickle.push_back(static_cast<char>((code.size() >> (8 * i)) & 0xff));
  pickle += code + "\x85R.";
  std::ofstream(dir_ / "model.pkl", std::ios::binary) << pickle;
  auto r = run_hubguard("scan -f json --rules " + shell_quote((dir_ / "rules").string()) + " " +
                        shell_quote((dir_ / "model.pkl").string()));
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  bool found = false;
  for (const auto& f : j["files"][0]["findings"]) found |= f["rule"] == "yara.user.canary_string";
  EXPECT_TRUE(found) << r.out;
}

}  // namespace
}  // namespace hubguard
