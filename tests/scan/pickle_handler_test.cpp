// The pickle format handler end to end through the engine: bytes a pickle hands to
// pickle.loads are scanned as a member of their own, and a pickle that breaks part-way
// keeps what it found before the break.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "hubguard/scan/engine.hpp"
#include "pickle_assembler.hpp"

namespace hubguard::scan {
namespace {

using pickle::test::PickleAsm;
using report::Verdict;

std::string system_pickle(std::string_view command) {
  PickleAsm p;
  p.proto(2).global("os", "system").short_unicode(command).tuple1().reduce().stop();
  return p.str();
}

TEST(PickleHandler, PayloadPassedToPickleLoadsIsScannedAsAMember) {
  PickleAsm outer;
  outer.proto(2).global("pickle", "loads").binbytes(system_pickle("echo nested")).tuple1().reduce().stop();
  const auto r = scan_bytes(outer.bytes(), "outer.pkl", ScanOptions{});
  bool nested_found = false;
  for (const auto& f : r.findings)
    nested_found = nested_found || (f.location.member.find("pickle.loads") != std::string::npos &&
                                    f.evidence.find("echo nested") != std::string::npos &&
                                    f.verdict >= Verdict::dangerous);
  EXPECT_TRUE(nested_found) << "the inner os.system call must be reported, located in the payload";
  EXPECT_GE(r.verdict, Verdict::dangerous);
}

TEST(PickleHandler, MarshalledCodePassedToMarshalLoadsIsAnalysed) {
  // Real CPython 3.11 marshal of code calling os.system (tests/fixtures/make_marshal_fixtures.py).
  std::ifstream in(std::string(HUBGUARD_FIXTURES) + "/marshal/os_system.bin", std::ios::binary);
  ASSERT_TRUE(in);
  const std::string code((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  PickleAsm outer;
  outer.proto(2).global("marshal", "loads").binbytes(code).tuple1().reduce().stop();
  const auto r = scan_bytes(outer.bytes(), "outer.pkl", ScanOptions{});
  bool analysed = false;
  for (const auto& f : r.findings)
    analysed = analysed || (f.rule.rfind("pickle.", 0) != 0 &&
                            f.evidence.find("system") != std::string::npos);
  EXPECT_TRUE(analysed) << "the code object's os.system call must be found by the code analyzers";
}

TEST(PickleHandler, BrokenStreamKeepsFindingsBeforeTheBreak) {
  std::string bytes = system_pickle("echo before-break");
  bytes.pop_back();                    // drop STOP
  bytes += "\xff\xff";                 // then an invalid opcode
  const auto r = scan_bytes(as_bytes(bytes), "broken.pkl", ScanOptions{});
  EXPECT_GE(r.verdict, Verdict::dangerous) << "the REDUCE ran before the break";
  EXPECT_FALSE(r.error.empty());
  bool broken = false;
  for (const auto& f : r.findings) broken = broken || f.rule == "pickle.broken-stream";
  EXPECT_TRUE(broken);
}

TEST(PickleHandler, BenignBrokenPickleIsUnscannableNotClean) {
  PickleAsm p;
  p.proto(2).short_unicode("just data");
  const auto r = scan_bytes(p.bytes(), "data.pkl", ScanOptions{});  // no STOP: truncated
  EXPECT_EQ(r.verdict, Verdict::unscannable);
}

TEST(PickleHandler, NodeLimitIsAFindingNotACrash) {
  PickleAsm p;
  p.proto(2).op(']');
  for (int i = 0; i < 2000; ++i) p.short_unicode("x").op('a');  // list.append x 2000
  p.stop();
  ScanOptions options;
  options.limits.max_pickle_nodes = 100;
  const auto r = scan_bytes(p.bytes(), "big.pkl", options);
  bool limited = false;
  for (const auto& f : r.findings) limited = limited || f.rule == "pickle.limit-exceeded";
  EXPECT_TRUE(limited);
  EXPECT_EQ(r.verdict, Verdict::unscannable);
}

}  // namespace
}  // namespace hubguard::scan
