// Files/s per format over the committed fixture sets: every manifest under tests/fixtures
// (scan, formats, torchscript, ...) is read, its fixtures are grouped by the format the
// manifest expects, and each group is scanned with scan_file (one thread), one benchmark per
// format. The baseline, "read/<format>", opens and reads the same files whole with read(2)
// (what `cat` does): both run from the page cache, so the ratio is the scanner's cost per
// file against the cheapest way to touch it.
//
//   build/release/bench/format_throughput_bench [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

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
  std::string path;
  std::uint64_t size = 0;
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
      std::error_code ec;
      const auto size = fs::file_size(path, ec);
      if (ec) continue;
      groups[e["format"].get<std::string>()].push_back({path.string(), size});
    }
  }
  return groups;
}

void scan_group(benchmark::State& state, const std::vector<Fixture>* files) {
  const hubguard::scan::ScanOptions options;
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    for (const auto& f : *files) {
      auto r = hubguard::scan::scan_file(f.path, options);
      benchmark::DoNotOptimize(r.verdict);
      bytes += f.size;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * files->size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["files"] = static_cast<double>(files->size());
}

void read_group(benchmark::State& state, const std::vector<Fixture>* files) {
  std::vector<char> buffer(1 << 16);
  for (auto _ : state) {
    for (const auto& f : *files) {
      const int fd = ::open(f.path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      while (::read(fd, buffer.data(), buffer.size()) > 0) {
      }
      ::close(fd);
      benchmark::DoNotOptimize(buffer.data());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * files->size()));
}

}  // namespace

int main(int argc, char** argv) {
  static const auto groups = load_groups();
  for (const auto& [format, files] : groups) {
    benchmark::RegisterBenchmark(("scan/" + format).c_str(), scan_group, &files);
    benchmark::RegisterBenchmark(("read/" + format).c_str(), read_group, &files);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
