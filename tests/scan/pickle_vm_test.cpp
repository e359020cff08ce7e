// The symbolic pickle VM on hand-assembled streams: every opcode family of protocols 0-5,
// memo handling, broken streams, limits, concatenated pickles, the sniffer and the printer.
#include <gtest/gtest.h>

#include <string>

#include "hubguard/scan/pickle/call_resolution.hpp"
#include "hubguard/scan/pickle/pickle_analysis.hpp"
#include "hubguard/scan/pickle/pickle_vm.hpp"
#include "hubguard/scan/pickle/program_printer.hpp"
#include "hubguard/scan/pickle/sniff.hpp"
#include "hubguard/scan/pickle/value_render.hpp"
#include "pickle_assembler.hpp"

namespace hubguard::scan::pickle {
namespace {

using test::PickleAsm;

Program run(const PickleAsm& a, ScanLimits limits = {}) { return run_pickle(a.bytes(), 0, limits); }

const Node& result(const Program& p) { return p.nodes.at(p.result); }

std::string rendered_result(const Program& p) { return render_value(p, p.result); }

TEST(PickleVm, Protocol0GlobalReduceIsRecordedNotRun) {
  PickleAsm a;
  a.global("os", "system").mark().string0("'id'").tuple().reduce().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  EXPECT_EQ(p.protocol, 0);
  ASSERT_EQ(p.imports.size(), 1u);
  EXPECT_EQ(p.imports[0].module, "os");
  EXPECT_EQ(p.imports[0].name, "system");
  EXPECT_EQ(p.imports[0].kind, ImportKind::global);
  EXPECT_EQ(p.imports[0].offset, 0u);
  ASSERT_EQ(p.calls.size(), 1u);
  EXPECT_EQ(p.calls[0].kind, CallKind::reduce);
  EXPECT_EQ(render_call(p, 0), "os.system('id')");
  EXPECT_EQ(result(p).kind, NodeKind::call);
  EXPECT_EQ(p.end, a.str().size());
}

TEST(PickleVm, Protocol2MemoReuseResolvesArguments) {
  PickleAsm a;
  a.proto(2).global("builtins", "eval").binput(0).binunicode("1+1").binput(1).tuple1().reduce()
      .pop().binget(0).binget(1).tuple1().reduce().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  EXPECT_EQ(p.protocol, 2);
  ASSERT_EQ(p.calls.size(), 2u);
  EXPECT_EQ(render_call(p, 0), "builtins.eval('1+1')");
  EXPECT_EQ(render_call(p, 1), "builtins.eval('1+1')");
}

TEST(PickleVm, Protocol4StackGlobalWithFrameAndMemoize) {
  PickleAsm a;
  a.proto(4).frame(30).short_unicode("subprocess").memoize().short_unicode("check_output")
      .memoize().stack_global().memoize().short_unicode("ls").tuple1().reduce().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  EXPECT_EQ(p.protocol, 4);
  ASSERT_EQ(p.imports.size(), 1u);
  EXPECT_EQ(p.imports[0].kind, ImportKind::stack_global);
  EXPECT_TRUE(p.imports[0].constant);
  EXPECT_EQ(p.imports[0].module, "subprocess");
  EXPECT_EQ(p.imports[0].name, "check_output");
  EXPECT_EQ(render_call(p, 0), "subprocess.check_output('ls')");
}

TEST(PickleVm, StackGlobalOperandsFromMemoAreResolved) {
  PickleAsm a;
  a.proto(4).short_unicode("os").binput(5).short_unicode("system").binput(9).pop().pop()
      .binget(5).binget(9).stack_global().short_unicode("id").tuple1().reduce().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  ASSERT_EQ(p.imports.size(), 1u);
  EXPECT_EQ(p.imports[0].module, "os");
  EXPECT_EQ(p.imports[0].name, "system");
}

TEST(PickleVm, MemoizeUsesMemoSizeNotLastIndex) {
  // PUT 7 makes the memo hold one entry, so the following MEMOIZE stores at index 1: a
  // scanner that numbers MEMOIZE by its own counter would read the wrong value back.
  PickleAsm a;
  a.proto(4).short_unicode("torch._utils").put("7").short_unicode("os").memoize().pop().pop()
      .binget(1).short_unicode("system").stack_global().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  ASSERT_EQ(p.imports.size(), 1u);
  EXPECT_EQ(p.imports[0].module, "os");
  ASSERT_FALSE(p.anomalies.empty());
}

TEST(PickleVm, NonConstantStackGlobalOperandsAreFlagged) {
  PickleAsm a;
  a.proto(4).global("builtins", "str").short_unicode("o").tuple1().reduce()  // computed module
      .short_unicode("system").stack_global().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  ASSERT_EQ(p.imports.size(), 2u);
  EXPECT_FALSE(p.imports[1].constant);
  EXPECT_EQ(p.imports[1].kind, ImportKind::stack_global);
  EXPECT_NE(p.imports[1].module_node, kNoNode);
}

TEST(PickleVm, InstObjNewobjNewobjExAndBuild) {
  PickleAsm a;
  a.proto(4).mark().short_unicode("x").inst("collections", "OrderedDict").pop()
      .mark().global("builtins", "set").empty_list().obj().pop()
      .global("argparse", "Namespace").empty_tuple().newobj().empty_dict().short_unicode("lr")
      .binint1(3).setitem().build().pop()
      .global("pathlib", "PosixPath").short_unicode("/tmp").tuple1().empty_dict().newobj_ex().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  ASSERT_EQ(p.calls.size(), 5u);
  EXPECT_EQ(p.calls[0].kind, CallKind::inst);
  EXPECT_EQ(p.imports[0].kind, ImportKind::inst);
  EXPECT_EQ(render_call(p, 0), "collections.OrderedDict('x')");
  EXPECT_EQ(p.calls[1].kind, CallKind::obj);
  EXPECT_EQ(render_call(p, 1), "builtins.set([])");
  EXPECT_EQ(p.calls[2].kind, CallKind::newobj);
  EXPECT_EQ(p.calls[3].kind, CallKind::build);
  EXPECT_EQ(render_call(p, 3), "_var2.__setstate__({'lr': 3})");
  EXPECT_EQ(p.calls[4].kind, CallKind::newobj_ex);
}

TEST(PickleVm, ExtOpcodesRecordUnknownExtensionImports) {
  PickleAsm a;
  a.proto(2).ext1(7).pop().ext2(300).pop().ext4(70000).stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  ASSERT_EQ(p.imports.size(), 3u);
  EXPECT_EQ(p.imports[0].kind, ImportKind::ext);
  EXPECT_EQ(p.imports[0].ext_code, 7u);
  EXPECT_EQ(p.imports[1].ext_code, 300u);
  EXPECT_EQ(p.imports[2].ext_code, 70000u);
  EXPECT_FALSE(p.imports[2].constant);
}

TEST(PickleVm, PersistentLoadsAreCalls) {
  PickleAsm b;
  b.proto(2).persid("abc").pop().mark().short_binstring("storage").global("torch", "FloatStorage")
      .short_binstring("0").short_binstring("cpu").binint1(4).tuple().binpersid().stop();
  Program p = run(b);
  ASSERT_TRUE(p.stopped) << p.error;
  ASSERT_EQ(p.calls.size(), 2u);
  EXPECT_EQ(p.calls[0].kind, CallKind::persistent_load);
  EXPECT_EQ(render_call(p, 0), "persistent_load('abc')");
  EXPECT_EQ(render_call(p, 1), "persistent_load(('storage', torch.FloatStorage, '0', 'cpu', 4))");
  EXPECT_EQ(result(p).kind, NodeKind::persistent);
}

TEST(PickleVm, IntegerFloatAndBoolForms) {
  PickleAsm a;
  a.proto(2).mark().int0("00").int0("01").int0("-42").int0("123456789012345678901234567890")
      .long0("17L").binint(-5).binint1(200).binint2(60000).long1(std::string("\xff", 1))
      .long1(std::string("\x00\x01", 2)).long4(std::string(9, '\x01')).float0("2.5")
      .binfloat(-0.5).newtrue().newfalse().none().tuple().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  EXPECT_EQ(rendered_result(p),
            "(False, True, -42, 123456789012345678901234567890, 17, -5, 200, 60000, -1, 256, "
            "<int of 9 bytes>, 2.5, -0.5, True, False, None)");
}

TEST(PickleVm, StringForms) {
  PickleAsm a;
  a.proto(5).mark().string0("'\\x6fs'").string0("\"a\\'b\"").unicode0("\\u0073ystem")
      .binstring("bin").short_binstring("sb").binunicode("bu").short_unicode("su")
      .binunicode8("b8").binbytes("xy").short_binbytes("z").binbytes8("w").bytearray8("ba")
      .binstring("caf\xe9").tuple().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  EXPECT_EQ(rendered_result(p),
            "('os', 'a\\'b', 'system', 'bin', 'sb', 'bu', 'su', 'b8', b'xy', b'z', b'w', "
            "bytearray(b'ba'), 'caf\xc3\xa9')");
}

TEST(PickleVm, BinbytesPayloadIsAViewIntoTheInput) {
  std::string payload(1 << 20, 'A');
  PickleAsm a;
  a.proto(3).binbytes(payload).stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped);
  const Node& n = result(p);
  EXPECT_EQ(n.kind, NodeKind::bytes);
  EXPECT_EQ(n.text.size(), payload.size());
  EXPECT_EQ(static_cast<const void*>(n.text.data()), static_cast<const void*>(a.str().data() + 7));
}

TEST(PickleVm, Containers) {
  PickleAsm a;
  a.proto(4).mark()
      .empty_list().mark().binint1(1).binint1(2).appends().binint1(3).append()
      .empty_dict().mark().short_unicode("a").binint1(1).short_unicode("b").binint1(2).setitems()
      .empty_set().mark().binint1(9).additems()
      .mark().binint1(5).frozenset()
      .mark().binint1(1).list()
      .mark().short_unicode("k").none().dict()
      .binint1(1).binint1(2).tuple2().binint1(1).binint1(2).binint1(3).tuple3()
      .empty_tuple()
      .tuple().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  EXPECT_EQ(rendered_result(p),
            "([1, 2, 3], {'a': 1, 'b': 2}, {9}, frozenset({5}), [1], {'k': None}, (1, 2), "
            "(1, 2, 3), ())");
  EXPECT_TRUE(p.calls.empty());
}

TEST(PickleVm, StackManipulation) {
  PickleAsm a;
  a.proto(2).binint1(1).dup().tuple2().mark().binint1(7).binint1(8).pop_mark().binint1(9).pop()
      .stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  EXPECT_EQ(rendered_result(p), "(1, 1)");
}

TEST(PickleVm, PopWithEmptyStackConsumesMark) {
  PickleAsm a;
  a.proto(2).binint1(1).mark().pop().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  EXPECT_EQ(rendered_result(p), "1");
  ASSERT_EQ(p.anomalies.size(), 1u);
  EXPECT_NE(p.anomalies[0].message.find("POP consumed a MARK"), std::string::npos);
}

TEST(PickleVm, MutationOfNonContainerIsRecordedAsCall) {
  PickleAsm a;
  a.proto(2).global("os", "environ").short_unicode("LD_PRELOAD").short_unicode("/tmp/x.so")
      .setitem().global("collections", "OrderedDict").empty_tuple().reduce().binint1(1).append()
      .stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  ASSERT_EQ(p.calls.size(), 3u);
  EXPECT_EQ(p.calls[0].kind, CallKind::setitem);
  EXPECT_EQ(render_call(p, 0), "os.environ.update({'LD_PRELOAD': '/tmp/x.so'})");
  EXPECT_EQ(p.calls[2].kind, CallKind::append);
}

TEST(PickleVm, Protocol5Buffers) {
  PickleAsm a;
  a.proto(5).next_buffer().readonly_buffer().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  EXPECT_EQ(result(p).kind, NodeKind::buffer);
}

TEST(PickleVm, BrokenStreamKeepsWhatRanBeforeTheBreak) {
  PickleAsm a;
  a.proto(2).global("os", "system").short_unicode("id").tuple1().reduce().op('Z').stop();
  Program p = run(a);
  EXPECT_FALSE(p.stopped);
  EXPECT_FALSE(p.truncated);
  ASSERT_EQ(p.calls.size(), 1u);
  EXPECT_EQ(p.error_offset, a.str().size() - 2);
  EXPECT_NE(p.error.find("invalid load key"), std::string::npos);
}

TEST(PickleVm, TruncatedStream) {
  PickleAsm a;
  a.proto(2).global("os", "system").binunicode("id");
  std::string cut = a.str().substr(0, a.str().size() - 1);
  Program p = run_pickle(as_bytes(cut), 0, {});
  EXPECT_FALSE(p.stopped);
  EXPECT_TRUE(p.truncated);
  EXPECT_EQ(p.imports.size(), 1u);
}

TEST(PickleVm, UnderflowAndMissingMemoBreak) {
  Program under = run(PickleAsm().proto(2).reduce());
  EXPECT_FALSE(under.stopped);
  EXPECT_NE(under.error.find("underflow"), std::string::npos);
  Program memo = run(PickleAsm().proto(2).binget(3).stop());
  EXPECT_FALSE(memo.stopped);
  EXPECT_NE(memo.error.find("memo"), std::string::npos);
  Program proto = run(PickleAsm().proto(6).none().stop());
  EXPECT_FALSE(proto.stopped);
}

TEST(PickleVm, OpcodeLimitIsReportedNotFatal) {
  PickleAsm a;
  a.proto(2);
  for (int i = 0; i < 100; ++i) a.none().pop();
  a.none().stop();
  ScanLimits limits;
  limits.max_pickle_ops = 50;
  Program p = run(a, limits);
  EXPECT_FALSE(p.stopped);
  ASSERT_EQ(p.limits.size(), 1u);
  EXPECT_EQ(p.limits[0].limit, "max_pickle_ops");
  EXPECT_EQ(p.opcodes, 50u);
}

TEST(PickleVm, StackMemoStringAndCallLimits) {
  ScanLimits limits;
  limits.max_pickle_stack = 10;
  limits.max_pickle_memo = 3;
  limits.max_pickle_string = 4;
  limits.max_pickle_calls_recorded = 1;

  PickleAsm deep;
  for (int i = 0; i < 20; ++i) deep.mark();
  EXPECT_EQ(run(deep, limits).limits.at(0).limit, "max_pickle_stack");

  PickleAsm memo;
  memo.proto(2).none();
  for (int i = 0; i < 5; ++i) memo.binput(static_cast<std::uint8_t>(i));
  EXPECT_EQ(run(memo, limits).limits.at(0).limit, "max_pickle_memo");

  PickleAsm str;
  str.proto(2).binunicode("abcdefgh").stop();
  Program s = run(str, limits);
  EXPECT_TRUE(s.stopped);
  EXPECT_EQ(s.limits.at(0).limit, "max_pickle_string");
  EXPECT_EQ(result(s).text, "abcd");

  PickleAsm calls;
  calls.proto(2).call1("os", "system", "a").pop().call1("os", "system", "b").stop();
  ScanLimits call_limits;
  call_limits.max_pickle_calls_recorded = 1;
  Program c = run(calls, call_limits);
  EXPECT_TRUE(c.stopped);
  EXPECT_EQ(c.calls.size(), 1u);
  EXPECT_TRUE(c.calls_truncated);
  EXPECT_EQ(c.limits.at(0).limit, "max_pickle_calls_recorded");
}

TEST(PickleVm, HugeNestingPrintsWithoutRecursion) {
  constexpr int kDepth = 100000;
  PickleAsm a;
  a.proto(2);
  for (int i = 0; i < kDepth; ++i) a.empty_list();
  for (int i = 0; i < kDepth - 1; ++i) a.append();
  a.stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  std::string text = render_value(p, p.result);
  EXPECT_LT(text.size(), 200u);
  EXPECT_NE(text.find("\xE2\x80\xA6"), std::string::npos);
  EXPECT_NE(to_python(p).find("result = [["), std::string::npos);
  EXPECT_FALSE(constant_strings(p, p.result).size() > 0);
}

TEST(PickleVm, LeftoverStackAtStopIsAccepted) {
  PickleAsm a;
  a.mark().binint1(1).stop();  // the loader returns 1 and ignores the open MARK
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  EXPECT_EQ(rendered_result(p), "1");
  EXPECT_FALSE(p.anomalies.empty());
}

TEST(PickleStream, RunsConcatenatedPickles) {
  PickleAsm a;
  a.proto(2).binint1(1).stop();
  a.proto(2).none().stop();
  a.global("os", "system").short_binstring("id").tuple1().reduce().stop();
  a.raw(std::string("\x00\x01\x02\xff\xfe binary tail", 17));
  PickleStream s = run_pickle_stream(a.bytes(), 0, {});
  ASSERT_EQ(s.pickles.size(), 3u);
  EXPECT_EQ(s.pickles[2].calls.size(), 1u);
  EXPECT_EQ(s.end, a.str().size() - 17);
  EXPECT_FALSE(s.pickle_limit_hit);
}

TEST(PickleStream, PickleCountIsBounded) {
  PickleAsm a;
  for (int i = 0; i < 10; ++i) a.proto(2).none().stop();
  ScanLimits limits;
  limits.max_pickles_per_stream = 4;
  PickleStream s = run_pickle_stream(a.bytes(), 0, limits);
  EXPECT_EQ(s.pickles.size(), 4u);
  EXPECT_TRUE(s.pickle_limit_hit);
}

TEST(PickleSniff, AcceptsPickleStarts) {
  EXPECT_TRUE(looks_like_pickle(PickleAsm().proto(2).none().stop().bytes()));
  EXPECT_TRUE(looks_like_pickle(PickleAsm().proto(4).frame(3).none().stop().bytes()));
  EXPECT_TRUE(looks_like_pickle(PickleAsm().proto(5).empty_dict().stop().bytes()));
  EXPECT_TRUE(looks_like_pickle(
      PickleAsm().global("os", "system").mark().string0("'id'").tuple().reduce().stop().bytes()));
  EXPECT_TRUE(looks_like_pickle(PickleAsm().mark().op('l').put("0").stop().bytes()));
  EXPECT_TRUE(looks_like_pickle(PickleAsm().empty_dict().binput(0).stop().bytes()));
  EXPECT_TRUE(looks_like_pickle(PickleAsm().none().stop().bytes()));
  // Protocol 1 dict of many entries, cut at 4 KiB by the window.
  PickleAsm big;
  big.empty_dict().binput(0).mark();
  for (int i = 0; i < 2000; ++i) big.binunicode("key").binint1(1);
  big.setitems().stop();
  EXPECT_TRUE(looks_like_pickle(big.bytes()));
}

TEST(PickleSniff, RejectsTextAndOtherBinaries) {
  auto text = [](std::string_view s) { return looks_like_pickle(as_bytes(s)); };
  EXPECT_FALSE(text(""));
  EXPECT_FALSE(text("N"));
  EXPECT_FALSE(text("hello world\n"));
  EXPECT_FALSE(text("cmake_minimum_required(VERSION 3.25)\nproject(x)\n"));
  EXPECT_FALSE(text("{\"a\": 1}"));
  EXPECT_FALSE(text("(1, 2)\n"));
  EXPECT_FALSE(text("]]]]]]]]"));
  EXPECT_FALSE(text("Section 1\nIntroduction\n"));
  EXPECT_FALSE(text("Copyright (c) 2024\n"));
  EXPECT_FALSE(text("SELECT * FROM t;\n"));
  EXPECT_FALSE(text(std::string_view("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10)));
  EXPECT_FALSE(text(std::string_view("\x89PNG\r\n\x1a\n", 8)));
  EXPECT_FALSE(text(std::string_view("\x80\x07\x00", 3)));
  EXPECT_FALSE(text("Licensed under the Apache License\n"));
  EXPECT_FALSE(text("Image data follows\n"));
}

TEST(PickleResolution, GetattrImportModuleChainResolvesToOsSystem) {
  PickleAsm a;
  a.proto(4).global("builtins", "getattr").global("importlib", "import_module")
      .short_unicode("posix").tuple1().reduce().short_unicode("system").tuple2().reduce()
      .short_unicode("id").tuple1().reduce().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  ASSERT_EQ(p.calls.size(), 3u);
  CallSummary s = summarize_call(p, 2);
  EXPECT_EQ(s.callee, "os.system");
  EXPECT_TRUE(s.indirect);
  ASSERT_EQ(s.strings.size(), 1u);
  EXPECT_EQ(s.strings[0], "id");
  ASSERT_EQ(s.feeds_from.size(), 1u);
  EXPECT_EQ(s.feeds_from[0], 1u);
}

TEST(PickleResolution, CopyregReconstructorInstantiatesItsClass) {
  PickleAsm a;
  a.proto(2).global("copy_reg", "_reconstructor").global("__main__", "Net")
      .global("__builtin__", "object").none().tuple3().reduce().stop();
  Program p = run(a);
  ASSERT_TRUE(p.stopped) << p.error;
  CallSummary s = summarize_call(p, 0);
  EXPECT_EQ(s.callee, "__main__.Net");
  EXPECT_TRUE(s.instantiation);
  std::vector<bool> called = imports_called(p);
  EXPECT_TRUE(called[0]);
  EXPECT_TRUE(called[1]);
  EXPECT_FALSE(called[2]);
}

TEST(PickleProgramPrinter, PrintsImportsCallsAndResult) {
  PickleAsm a;
  a.proto(2).global("os", "system").short_unicode("echo pwned").tuple1().reduce().stop();
  Program p = run(a);
  std::string text = to_python(p);
  EXPECT_NE(text.find("from os import system\n"), std::string::npos) << text;
  EXPECT_NE(text.find("_var0 = system('echo pwned')\n"), std::string::npos) << text;
  EXPECT_NE(text.find("result = _var0\n"), std::string::npos) << text;
}

TEST(PickleProgramPrinter, ClashingNamesAndBrokenStreams) {
  PickleAsm a;
  a.proto(2).global("a.b", "load").global("c", "load").tuple2().op('Z');
  Program p = run(a);
  std::string text = to_python(p);
  EXPECT_NE(text.find("from a.b import load\n"), std::string::npos) << text;
  EXPECT_NE(text.find("import c\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# stream broke at offset"), std::string::npos) << text;
}

}  // namespace
}  // namespace hubguard::scan::pickle

namespace hubguard::scan::pickle {
namespace {

// Hostile-input robustness: mutated and random streams must give a value (stopped or a
// reason), never a crash, and every consumer (analysis, printer, sniffer) must cope.
TEST(PickleVmRobustness, MutatedStreamsNeverCrash) {
  test::PickleAsm seed;
  seed.proto(4).frame(60).global("builtins", "getattr").memoize().global("importlib", "import_module")
      .short_unicode("os").tuple1().reduce().memoize().short_unicode("system").tuple2().reduce()
      .mark().short_unicode("id").binint1(3).long1("\x01\x02").empty_dict().short_unicode("k")
      .binget(0).setitem().tuple().reduce().build().stop();
  const std::string base = seed.str();
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  ScanLimits limits;
  limits.max_pickle_ops = 10000;
  for (int round = 0; round < 3000; ++round) {
    std::string data = base;
    int edits = 1 + static_cast<int>(next() % 6);
    for (int e = 0; e < edits; ++e) {
      std::size_t pos = next() % data.size();
      switch (next() % 3) {
        case 0: data[pos] = static_cast<char>(next()); break;
        case 1: data.insert(pos, 1, static_cast<char>(next())); break;
        default: data.erase(pos, 1 + next() % 4); break;
      }
      if (data.empty()) data = "(";
    }
    Bytes bytes = as_bytes(data);
    PickleStream s = run_pickle_stream(bytes, 0, limits);
    ASSERT_LE(s.end, data.size());
    for (const Program& p : s.pickles) {
      ASSERT_TRUE(p.stopped || !p.error.empty());
      ASSERT_LE(p.end, data.size());
      (void)analyze(p);
      (void)embedded_code(p);
      (void)to_python(p);
    }
    (void)looks_like_pickle(bytes);
  }
}

TEST(PickleVmRobustness, RandomBytesNeverCrash) {
  std::uint64_t state = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string data(1 + round % 300, '\0');
    for (char& c : data) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      c = static_cast<char>(state >> 56);
    }
    Program p = run_pickle(as_bytes(data), 0, {});
    (void)analyze(p);
    (void)to_python(p);
    (void)looks_like_pickle(as_bytes(data));
  }
}

}  // namespace
}  // namespace hubguard::scan::pickle

namespace hubguard::scan::pickle {
namespace {

// NumpyArrayWrapper(...) with BUILD state as joblib writes it, leaving the wrapper on the stack.
test::PickleAsm& joblib_wrapper(test::PickleAsm& a, std::string_view dtype, int dims,
                                bool aligned) {
  a.global("joblib.numpy_pickle", "NumpyArrayWrapper").empty_tuple().newobj().empty_dict().mark()
      .short_unicode("shape");
  for (int i = 0; i < dims; ++i) a.binint1(3);
  a.op(dims == 1 ? 0x85 : 0x86).short_unicode("dtype").global("numpy", "dtype")
      .short_unicode(dtype).newfalse().newtrue().tuple3().reduce();
  if (aligned) a.short_unicode("numpy_array_alignment_bytes").binint1(16);
  return a.setitems().build();
}

TEST(PickleVmJoblib, SkipsInlineArrayBytesAfterTheWrapper) {
  test::PickleAsm a;
  a.proto(4).empty_list().mark();
  joblib_wrapper(a, "f8", 2, true).raw(std::string("\x03\xff\xff\xff", 4))
      .raw(std::string(9 * 8, '\x2e'));                      // 3x3 float64, bytes that look like STOP
  joblib_wrapper(a, "i4", 1, false).raw(std::string(3 * 4, '\x80'));  // no alignment byte
  a.call1("os", "system", "id").appends().stop();
  Program p = run_pickle(a.bytes(), 0, {});
  ASSERT_TRUE(p.stopped) << p.error << " at " << p.error_offset;
  EXPECT_EQ(p.end, a.str().size());
  EXPECT_EQ(render_call(p, p.calls.size() - 1), "os.system('id')");
}

TEST(PickleVmJoblib, ObjectArraysAreNestedPickles) {
  test::PickleAsm a;
  a.proto(4);
  joblib_wrapper(a, "O8", 1, false);
  a.proto(2).call1("subprocess", "getoutput", "id").stop();  // the nested pickle
  a.stop();
  Program p = run_pickle(a.bytes(), 0, {});
  ASSERT_TRUE(p.stopped) << p.error << " at " << p.error_offset;
  EXPECT_EQ(p.end, a.str().size());
  EXPECT_EQ(render_call(p, p.calls.size() - 1), "subprocess.getoutput('id')");
  EXPECT_EQ(p.nodes[p.result].kind, NodeKind::call);
}

TEST(PickleVmJoblib, ArrayLargerThanTheDataIsTruncation) {
  test::PickleAsm a;
  a.proto(4);
  joblib_wrapper(a, "f8", 2, false).raw("short");
  Program p = run_pickle(a.bytes(), 0, {});
  EXPECT_FALSE(p.stopped);
  EXPECT_TRUE(p.truncated);
}

}  // namespace
}  // namespace hubguard::scan::pickle
