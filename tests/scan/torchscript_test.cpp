// TorchScript archives: fixtures made by the real torch.jit (and edited the way an attacker
// would) per tests/fixtures/torchscript/manifest.json, plus the code check on hand-written
// TorchScript text.
#include <gtest/gtest.h>

#include <string>

#include "hubguard/scan/engine.hpp"
#include "manifest_support.hpp"

namespace hubguard::scan {
namespace {

using report::Verdict;
using test::describe;

std::string anomaly_rule(const std::string& words) {
  if (words == "torchscript host access") return "torchscript.host-access";
  if (words == "torchscript custom operator") return "torchscript.custom-op";
  return "unmapped anomaly: " + words;
}

class TorchScriptFixtures : public ::testing::TestWithParam<test::ManifestCase> {};

TEST_P(TorchScriptFixtures, ScansAsExpected) {
  const auto& e = GetParam().entry;
  const auto r = scan_file(
      std::string(HUBGUARD_FIXTURES) + "/torchscript/" + e["path"].get<std::string>(), {});
  SCOPED_TRACE(describe(r));
  EXPECT_EQ(r.format, e["format"].get<std::string>());
  if (e.value("kind", "") == "benign") {
    EXPECT_EQ(r.verdict, Verdict::clean);
  }
  test::expect_manifest_entry(e, r, anomaly_rule);
}

INSTANTIATE_TEST_SUITE_P(TorchScript, TorchScriptFixtures,
                         ::testing::ValuesIn(test::load_manifest("torchscript")),
                         [](const auto& info) { return info.param.name; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(TorchScriptFixtures);

TEST(TorchScriptFixtureManifest, ExistsAndIsNotEmpty) {
  EXPECT_GE(test::load_manifest("torchscript").size(), 5u)
      << "run /usr/bin/python3 tests/fixtures/make_torchscript_fixtures.py";
}

report::FileReport scan_text(const std::string& text) {
  return scan_bytes(Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
                    "code/__torch__.py", {});
}

constexpr const char* kHeader =
    "class M(Module):\n"
    "  __parameters__ = []\n"
    "  __buffers__ = []\n"
    "  training : bool\n"
    "  def forward(self: __torch__.M,\n"
    "    x: Tensor) -> Tensor:\n";

TEST(TorchScriptCode, AtenOperatorsAreNormal) {
  const auto r = scan_text(std::string(kHeader) +
                           "    _0 = torch.ops.aten.add(x, torch.ops.prim.NumToTensor(1))\n"
                           "    return torch.linear(_0, x, None)\n");
  SCOPED_TRACE(describe(r));
  EXPECT_EQ(r.format, "torchscript-code");
  EXPECT_EQ(r.verdict, Verdict::clean);
}

TEST(TorchScriptCode, NamesInStringsAndCommentsDoNotCount) {
  const auto r = scan_text(std::string(kHeader) +
                           "    # torch.save(x, \"/tmp/a\") was here\n"
                           "    s = \"torch.from_file and torch.ops.evil.op\"\n"
                           "    return x\n");
  SCOPED_TRACE(describe(r));
  EXPECT_EQ(r.verdict, Verdict::clean);
}

TEST(TorchScriptCode, CustomClassNamespaceIsSuspicious) {
  const auto r = scan_text(std::string(kHeader) +
                           "    h = torch.classes.vendor.Handle()\n    return x\n");
  SCOPED_TRACE(describe(r));
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings.front().rule, "torchscript.custom-op");
  EXPECT_NE(r.findings.front().message.find("vendor"), std::string::npos);
  EXPECT_EQ(r.verdict, Verdict::suspicious);
}

TEST(TorchScriptCode, FromFileIsDangerousWithTheLineAsEvidence) {
  const auto r = scan_text(std::string(kHeader) +
                           "    y = torch.from_file(\"/root/.ssh/id_rsa\", None, 64)\n"
                           "    return x\n");
  SCOPED_TRACE(describe(r));
  EXPECT_GE(r.verdict, Verdict::dangerous);
  bool found = false;
  for (const auto& f : r.findings)
    found = found || (f.rule == "torchscript.host-access" &&
                      f.evidence.find("id_rsa") != std::string::npos);
  EXPECT_TRUE(found);
}

TEST(TorchScriptCode, OrdinaryPythonIsNotTorchScript) {
  const auto r = scan_text("import torch\n\ndef save(model):\n    torch.save(model, 'm.pt')\n");
  EXPECT_EQ(r.format, "python");
}

}  // namespace
}  // namespace hubguard::scan
