// Scanning an ONNX model must cost the same whatever its weights weigh: the handler walks the
// protobuf structure and steps over tensor payloads by their length. This program writes two
// models with the same graph (MatMul, Add, Relu, a custom-domain op after the weights, so the
// walk has to pass them) into a directory: one with a 32-byte initializer and one whose
// initializer's raw_data is SIZE_MB megabytes (a sparse file: the payload is a hole, so
// writing it is instant, and any read of it would page in zero pages one by one). For each
// it prints the median wall time of scan::scan_file over RUNS runs and the page faults one
// scan takes (pages of the file actually touched). Then it reports files/s over the ONNX
// fixtures (every *.onnx under FIXTURES/formats), read into memory first and scanned with
// scan::scan_bytes for about a second.
// Usage: onnx_scan_bench [DIR] [RUNS] [SIZE_MB] [FIXTURES]
//        (defaults: /tmp/hubguard-onnx-bench 7 1024 <source>/tests/fixtures)
#include <benchmark/benchmark.h>  // linked for every bench; this one is a plain main()
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "hubguard/scan/engine.hpp"

namespace fs = std::filesystem;
using namespace hubguard;

namespace {

// A minimal protobuf writer (the fields this model needs).
struct Pb {
  std::string out;
  Pb& varint_raw(std::uint64_t v) {
    while (v >= 0x80) {
      out += static_cast<char>((v & 0x7F) | 0x80);
      v >>= 7;
    }
    out += static_cast<char>(v);
    return *this;
  }
  Pb& key(std::uint32_t field, unsigned type) {
    return varint_raw((std::uint64_t{field} << 3) | type);
  }
  Pb& varint(std::uint32_t field, std::uint64_t v) { return key(field, 0).varint_raw(v); }
  Pb& bytes(std::uint32_t field, const std::string& s) {
    key(field, 2).varint_raw(s.size());
    out += s;
    return *this;
  }
  Pb& header(std::uint32_t field, std::uint64_t length) { return key(field, 2).varint_raw(length); }
};

std::string node(const std::string& a, const std::string& b, const std::string& out,
                 const std::string& op, const std::string& domain = "") {
  Pb n;
  n.bytes(1, a).bytes(1, b).bytes(2, out).bytes(4, op);
  if (!domain.empty()) n.bytes(7, domain);
  return n.out;
}

// ModelProto{ir_version, producer, graph{initializer w (raw_data of `weight_bytes`), nodes},
// opset_import}. The raw_data payload is left as a hole in the file.
void write_model(const fs::path& path, std::uint64_t weight_bytes) {
  Pb init_head;
  init_head.varint(1, weight_bytes / 4).varint(2, 1).bytes(8, "w").header(9, weight_bytes);
  Pb tail;  // graph fields after the initializer
  tail.bytes(1, node("x", "w", "h", "MatMul"))
      .bytes(1, node("h", "b", "z", "Add"))
      .bytes(1, node("z", "z", "r", "Relu"))
      .bytes(1, node("r", "r", "y", "BenchOp", "com.example.bench"))
      .bytes(2, "bench");
  Pb graph_head;
  graph_head.header(5, init_head.out.size() + weight_bytes).out += init_head.out;
  Pb opset;
  opset.varint(2, 13);
  Pb opset_bench;
  opset_bench.bytes(1, "com.example.bench").varint(2, 1);
  Pb after;  // model fields after the graph
  after.bytes(8, opset.out).bytes(8, opset_bench.out);
  Pb head;
  head.varint(1, 8)
      .bytes(2, "hubguard-bench")
      .header(7, graph_head.out.size() + weight_bytes + tail.out.size());
  head.out += graph_head.out;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(head.out.data(), static_cast<std::streamsize>(head.out.size()));
  f.seekp(static_cast<std::streamoff>(head.out.size() + weight_bytes));  // the hole
  f.write(tail.out.data(), static_cast<std::streamsize>(tail.out.size()));
  f.write(after.out.data(), static_cast<std::streamsize>(after.out.size()));
}

long page_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt + u.ru_majflt;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void time_file(const fs::path& path, int runs) {
  std::vector<double> ms;
  report::FileReport r;
  long faults = 0;
  for (int i = 0; i < runs; ++i) {
    const long f0 = page_faults();
    const auto t0 = std::chrono::steady_clock::now();
    r = scan::scan_file(path, {});
    const auto t1 = std::chrono::steady_clock::now();
    if (i == 0) faults = page_faults() - f0;
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::printf(
      "%-28s %12llu bytes  median %8.3f ms  page faults %6ld  format %s verdict %s findings "
      "%zu%s%s\n",
      path.filename().c_str(), static_cast<unsigned long long>(fs::file_size(path)), median(ms),
      faults, r.format.c_str(), std::string(to_string(r.verdict)).c_str(), r.findings.size(),
      r.error.empty() ? "" : " error: ", r.error.c_str());
}

void fixture_throughput(const fs::path& fixtures) {
  std::vector<std::pair<std::string, std::string>> files;
  std::uint64_t bytes = 0;
  if (fs::is_directory(fixtures / "formats"))
    for (const auto& e : fs::recursive_directory_iterator(fixtures / "formats")) {
      if (!e.is_regular_file() || e.path().extension() != ".onnx") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      bytes += data.size();
      files.emplace_back(e.path().filename().string(), std::move(data));
    }
  if (files.empty()) {
    std::printf("no ONNX fixtures under %s/formats\n", fixtures.c_str());
    return;
  }
  std::uint64_t scanned = 0;
  const auto t0 = std::chrono::steady_clock::now();
  double seconds = 0;
  while (seconds < 1.0) {
    for (const auto& [name, data] : files)
      benchmark::DoNotOptimize(scan::scan_bytes(as_bytes(data), name, {}));
    scanned += files.size();
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  std::printf(
      "ONNX fixtures: %zu files, %llu bytes; %.0f files/s (%.1f MB/s) over %.2f s, one thread\n",
      files.size(), static_cast<unsigned long long>(bytes), static_cast<double>(scanned) / seconds,
      static_cast<double>(scanned / files.size() * bytes) / seconds / 1e6, seconds);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path dir = argc > 1 ? argv[1] : "/tmp/hubguard-onnx-bench";
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
  const std::uint64_t size_mb = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1024;
#ifdef HUBGUARD_FIXTURES_DIR
  const fs::path fixtures = argc > 4 ? fs::path(argv[4]) : fs::path(HUBGUARD_FIXTURES_DIR);
#else
  const fs::path fixtures = argc > 4 ? fs::path(argv[4]) : fs::path("tests/fixtures");
#endif
  fs::create_directories(dir);
  const fs::path small = dir / "small.onnx";
  const fs::path large = dir / ("large-" + std::to_string(size_mb) + "MB.onnx");
  write_model(small, 32);
  write_model(large, size_mb << 20);
  time_file(small, runs);
  time_file(large, runs);
  fixture_throughput(fixtures);
  return 0;
}
