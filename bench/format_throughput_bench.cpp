// Files/s per format over the committed fixture sets: every manifest under tests/fixtures
// (scan, formats, torchscript, ...) is read, its fixtures are grouped by the format the
// manifest expects, and each group is scanned in-process, one benchmark per format. The
// files are read into memory first so that the figure is the scanner's, not the disk's.
// A "cat" baseline per group (copying the same bytes once) is printed for comparison.
//
//   build/release/bench/format_throughput_bench [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hubguard/scan/engine.hpp"

namespace {

namespace fs = std::filesystem;

struct Fixture {
  std::string name;
  std::string bytes;
};

std::map<std::string, std::vector<Fixture>> load_groups() {
  std::map<std::string, std::vector<Fixture>> groups;
  const fs::path root = HUBGUARD_FIXTURES_DIR;
  for (const auto& dir : fs::directory_iterator(root)) {
    const auto manifest_path = dir.path() / "manifest.json";
    if (!fs::is_regular_file(manifest_path)) continue;
    std::ifstream in(manifest_path);
    nlohmann::json manifest;
    try {
      manifest = nlohmann::json::parse(in);
    } catch (const std::exception&) {
      continue;
    }
    if (!manifest.is_array()) continue;
    for (const auto& e : manifest) {
      if (!e.contains("path") || !e.contains("format")) continue;
      const auto path = dir.path() / e["path"].get<std::string>();
      std::ifstream file(path, std::ios::binary);
      if (!file) continue;
      std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
      groups[e["format"].get<std::string>()].push_back({path.filename().string(), std::move(bytes)});
    }
  }
  return groups;
}

void scan_group(benchmark::State& state, const std::vector<Fixture>* files) {
  const hubguard::scan::ScanOptions options;
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    for (const auto& f : *files) {
      auto r = hubguard::scan::scan_bytes(
          hubguard::Bytes(reinterpret_cast<const std::uint8_t*>(f.bytes.data()), f.bytes.size()),
          f.name, options);
      benchmark::DoNotOptimize(r.verdict);
      bytes += f.bytes.size();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * files->size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["files"] = static_cast<double>(files->size());
}

void copy_group(benchmark::State& state, const std::vector<Fixture>* files) {
  std::vector<char> sink;
  for (auto _ : state) {
    for (const auto& f : *files) {
      sink.assign(f.bytes.begin(), f.bytes.end());
      benchmark::DoNotOptimize(sink.data());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * files->size()));
}

}  // namespace

int main(int argc, char** argv) {
  static const auto groups = load_groups();
  for (const auto& [format, files] : groups) {
    benchmark::RegisterBenchmark(("scan/" + format).c_str(), scan_group, &files);
    benchmark::RegisterBenchmark(("copy/" + format).c_str(), copy_group, &files);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
