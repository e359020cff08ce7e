// The Lambda policy (keras_lambda_policy.hpp): code in a Keras Lambda that reaches a process,
// the network, files or eval/exec is at least `dangerous` even when its command looks
// harmless; arithmetic stays `suspicious`. Checked on the host-access list itself and through
// a Keras 3 config (the H5 side is in keras_h5_test.cpp).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "format_test_support.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/keras_lambda_policy.hpp"
#include "hubguard/scan/python/marshal_code.hpp"
#include "test_encoders.hpp"

namespace hubguard::scan {
namespace {

using report::Verdict;
using testing::artifact_of;
using testing::FormatContext;

std::string marshal_fixture(const std::string& name) {
  std::ifstream in(std::string(HUBGUARD_FIXTURES) + "/marshal/" + name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> host_paths(const std::string& marshal_name) {
  const std::string raw = marshal_fixture(marshal_name);
  EXPECT_FALSE(raw.empty()) << marshal_name;
  auto source = python::marshalled_pseudo_source(as_bytes(raw), ScanLimits{});
  EXPECT_TRUE(source) << marshal_name;
  std::vector<std::string> out;
  if (source)
    for (const auto& h : lambda_host_access(*source)) out.push_back(h.classification.path);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(KerasLambdaPolicy, HostAccessIsListedByResolvedName) {
  EXPECT_TRUE(contains(host_paths("os_system.bin"), "os.system"));
  // __import__('os').system: the constant import resolves to the module, __import__ itself is not listed.
  const auto dynamic = host_paths("lambda_import_system.bin");
  EXPECT_TRUE(contains(dynamic, "os.system"));
  EXPECT_FALSE(contains(dynamic, "builtins.__import__"));
  EXPECT_TRUE(contains(host_paths("from_import_alias.bin"), "subprocess.check_output"));
  const auto shell = host_paths("reverse_shell_function.bin");
  EXPECT_FALSE(shell.empty());
  EXPECT_TRUE(contains(host_paths("exec_b64.bin"), "builtins.exec"));
  EXPECT_TRUE(host_paths("benign_math.bin").empty());
}

TEST(KerasLambdaPolicy, DynamicImportsResolveAsPythonDoes) {
  python::PseudoSource code;
  code.text = "__import__('os.path').system('id')\nimportlib.import_module('subprocess').run(['id'])\n";
  code.calls = {"__import__", "__import__('os.path').system", "importlib.import_module",
                "importlib.import_module('subprocess').run", "x.mean"};
  std::vector<std::string> paths;
  for (const auto& h : lambda_host_access(code)) paths.push_back(h.classification.path);
  EXPECT_TRUE(contains(paths, "os.system"));  // __import__('os.path') is the package os
  EXPECT_TRUE(contains(paths, "subprocess.run"));
  EXPECT_FALSE(contains(paths, "builtins.__import__"));  // constant names: judged by what they import
  code.text += "__import__(name)\n";                     // a computed name is itself dangerous
  paths.clear();
  for (const auto& h : lambda_host_access(code)) paths.push_back(h.classification.path);
  EXPECT_TRUE(contains(paths, "builtins.__import__"));
}

std::string v3_lambda_model(const std::string& marshal_name) {
  const std::string code = test::b64(marshal_fixture(marshal_name));
  return R"({"module":"keras","class_name":"Sequential","config":{"name":"s","layers":[)"
         R"({"module":"keras.layers","class_name":"Lambda","config":{"name":"lam","function":)"
         R"({"module":"builtins","class_name":"__lambda__","config":{"code":")" +
         code + R"(","defaults":null,"closure":null},"registered_name":null}},"registered_name":null}]}})";
}

TEST(KerasLambdaPolicy, KerasV3LambdaRunningAHarmlessCommandIsDangerous) {
  FormatContext ctx;
  keras_config_handler().scan(artifact_of(v3_lambda_model("os_system.bin")), ctx);  // os.system('echo pwned')
  const auto* lambda = ctx.rule("keras.lambda");
  ASSERT_NE(lambda, nullptr) << ctx.dump();
  EXPECT_EQ(lambda->verdict, Verdict::dangerous);
  EXPECT_NE(lambda->message.find("os.system"), std::string::npos) << lambda->message;
  EXPECT_EQ(ctx.code.size(), 1u);
}

TEST(KerasLambdaPolicy, KerasV3LambdaDoingArithmeticStaysSuspicious) {
  FormatContext ctx;
  keras_config_handler().scan(artifact_of(v3_lambda_model("benign_math.bin")), ctx);
  ASSERT_TRUE(ctx.has_rule("keras.lambda")) << ctx.dump();
  EXPECT_EQ(ctx.worst(), Verdict::suspicious) << ctx.dump();
}

}  // namespace
}  // namespace hubguard::scan
