// Python source analysis throughput: the hand-written fixtures (tests/fixtures/python,
// benign and malicious) concatenated and repeated into one module of about 1 MiB, and each
// fixture analysed on its own. Reported as bytes/s of Python. Parse-only is measured too,
// to show how the time splits between tree-sitter and the taint analysis.
//
//   build/<dir>/bench/python_analysis_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hubguard/scan/python/python_analysis.hpp"
#include "hubguard/scan/python/python_parser.hpp"

namespace {

namespace fs = std::filesystem;
using namespace hubguard::scan::python;

std::vector<std::string> fixture_sources() {
  std::vector<fs::path> paths;
  // CMake compiles this file by its absolute path: the fixtures are found from here.
  const fs::path root = fs::path(__FILE__).parent_path().parent_path() / "tests/fixtures/python";
  for (const char* group : {"benign", "malicious"})
    for (const auto& e : fs::directory_iterator(root / group))
      if (e.path().extension() == ".py") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
  }
  return out;
}

const std::vector<std::string>& sources() {
  static const auto s = fixture_sources();
  return s;
}

const std::string& corpus() {
  static const std::string c = [] {
    std::string all;
    while (all.size() < (1u << 20))
      for (const auto& s : sources()) all += s + "\n";
    return all;
  }();
  return c;
}

void BM_AnalyzeConcatenated(benchmark::State& state) {
  const std::string& src = corpus();
  PythonAnalysisOptions options;
  std::size_t findings = 0;
  for (auto _ : state) {
    auto f = analyze_python(src, options);
    findings = f.size();
    benchmark::DoNotOptimize(f);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * src.size()));
  state.counters["source_KiB"] = static_cast<double>(src.size()) / 1024.0;
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_AnalyzeConcatenated)->Unit(benchmark::kMillisecond);

void BM_AnalyzeEachFixture(benchmark::State& state) {
  PythonAnalysisOptions options;
  std::size_t bytes = 0;
  for (const auto& s : sources()) bytes += s.size();
  for (auto _ : state)
    for (const auto& s : sources()) benchmark::DoNotOptimize(analyze_python(s, options));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["files"] = static_cast<double>(sources().size());
  state.counters["files_per_s"] = benchmark::Counter(static_cast<double>(sources().size()),
                                                     benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_AnalyzeEachFixture)->Unit(benchmark::kMicrosecond);

void BM_ParseOnlyConcatenated(benchmark::State& state) {
  const std::string& src = corpus();
  ParseOptions options;
  for (auto _ : state) {
    auto tree = parse_python(src, options);
    benchmark::DoNotOptimize(tree.ok());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * src.size()));
}
BENCHMARK(BM_ParseOnlyConcatenated)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
