// Scanning PyTorch zip checkpoints of growing size must not read their tensor data. This
// program writes checkpoints with the torch zip layout (archive/data.pkl referencing 64
// float storages, archive/data/<n> stored members, archive/version, archive/byteorder) of
// 10 MB .. 4 GB into a directory, then times, for each, over several runs (median):
//   container  - the format handlers alone: detection, zip directory, member sniffing and
//                the pickle handler on data.pkl (children scanned recursively, as the
//                engine does), over a fresh mmap of the file;
//   scan_file  - the whole engine (scan::scan_file), which today also hashes the file;
//   sha256     - hashing the mapped file alone, to show what scan_file's hash costs;
// and the page faults taken by the container pass (pages of the file actually touched).
// Usage: torch_checkpoint_bench [DIR] [RUNS] [SIZES_MB...]   (defaults: /tmp/hubguard-bench 5
//        10 100 1000 4000). Files are kept between runs; delete DIR to regenerate.
#include <libdeflate.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "hubguard/core/hash.hpp"
#include "hubguard/core/mapped_file.hpp"
#include "hubguard/scan/engine.hpp"
#include "hubguard/scan/format_registry.hpp"

namespace fs = std::filesystem;
using namespace hubguard;
using namespace hubguard::scan;

namespace {

constexpr int kTensors = 64;

void put16(std::string& o, std::uint16_t v) {
  o += static_cast<char>(v & 0xff);
  o += static_cast<char>(v >> 8);
}
void put32(std::string& o, std::uint32_t v) {
  put16(o, static_cast<std::uint16_t>(v));
  put16(o, static_cast<std::uint16_t>(v >> 16));
}
void put64(std::string& o, std::uint64_t v) {
  put32(o, static_cast<std::uint32_t>(v));
  put32(o, static_cast<std::uint32_t>(v >> 32));
}
void unicode(std::string& p, const std::string& s) {  // BINUNICODE
  p += 'X';
  put32(p, static_cast<std::uint32_t>(s.size()));
  p += s;
}

// The state-dict pickle torch writes (protocol 2): an OrderedDict of
// _rebuild_tensor_v2(persistent storage id, offset, size, stride, requires_grad, hooks).
std::string state_dict_pickle(std::uint32_t elements) {
  std::string p = "\x80\x02" "ccollections\nOrderedDict\n)R(";
  for (int i = 0; i < kTensors; ++i) {
    unicode(p, "layer" + std::to_string(i) + ".weight");
    p += "ctorch._utils\n_rebuild_tensor_v2\n(";
    p += "(";
    unicode(p, "storage");
    p += "ctorch\nFloatStorage\n";
    unicode(p, std::to_string(i));
    unicode(p, "cpu");
    p += 'J';
    put32(p, elements);
    p += "tQ";                      // TUPLE, BINPERSID
    p += "K";
    p += '\0';                      // storage offset 0
    p += "(J";
    put32(p, elements);
    p += "t(K\x01t\x89" "ccollections\nOrderedDict\n)RtR";
  }
  p += "u.";
  return p;
}

// Writes a zip64 torch-layout checkpoint of about `total` bytes, streaming the storages.
void write_checkpoint(const fs::path& path, std::uint64_t total) {
  const std::uint64_t per = std::max<std::uint64_t>(total / kTensors / 4 * 4, 4);
  struct Member {
    std::string name;
    std::uint64_t size, offset;
    std::uint32_t crc;
  };
  std::vector<Member> members;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::uint64_t pos = 0;
  auto add = [&](const std::string& name, std::uint64_t size, auto&& produce) {
    std::string h;
    put32(h, 0x04034b50);
    put16(h, 45);
    put16(h, 0);
    put16(h, 0);
    put32(h, 0);
    put32(h, 0);  // crc: patched in the central directory only (loaders use that one)
    put32(h, 0xffffffff);
    put32(h, 0xffffffff);
    put16(h, static_cast<std::uint16_t>(name.size()));
    put16(h, 20);
    h += name;
    put16(h, 1);
    put16(h, 16);
    put64(h, size);
    put64(h, size);
    out.write(h.data(), static_cast<std::streamsize>(h.size()));
    Member m{name, size, pos, 0};
    pos += h.size();
    m.crc = produce();
    pos += size;
    members.push_back(m);
  };
  auto write_bytes = [&](const std::string& s) {
    out.write(s.data(), static_cast<std::streamsize>(s.size()));
    return static_cast<std::uint32_t>(libdeflate_crc32(0, s.data(), s.size()));
  };
  const std::string pkl = state_dict_pickle(static_cast<std::uint32_t>(per / 4));
  add("archive/data.pkl", pkl.size(), [&] { return write_bytes(pkl); });
  add("archive/byteorder", 6, [&] { return write_bytes("little"); });
  std::string chunk(1 << 20, '\0');
  std::uint32_t x = 1;
  for (auto& c : chunk) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  for (int i = 0; i < kTensors; ++i) {
    add("archive/data/" + std::to_string(i), per, [&] {
      std::uint32_t crc = 0;
      for (std::uint64_t left = per; left > 0;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
        out.write(chunk.data(), static_cast<std::streamsize>(n));
        crc = static_cast<std::uint32_t>(libdeflate_crc32(crc, chunk.data(), n));
        left -= n;
      }
      return crc;
    });
  }
  add("archive/version", 2, [&] { return write_bytes("3\n"); });
  std::string cd;
  for (const auto& m : members) {
    put32(cd, 0x02014b50);
    put16(cd, 45);
    put16(cd, 45);
    put16(cd, 0);
    put16(cd, 0);
    put32(cd, 0);
    put32(cd, m.crc);
    put32(cd, 0xffffffff);
    put32(cd, 0xffffffff);
    put16(cd, static_cast<std::uint16_t>(m.name.size()));
    put16(cd, 28);
    put16(cd, 0);
    put16(cd, 0);
    put16(cd, 0);
    put32(cd, 0);
    put32(cd, 0xffffffff);
    cd += m.name;
    put16(cd, 1);
    put16(cd, 24);
    put64(cd, m.size);
    put64(cd, m.size);
    put64(cd, m.offset);
  }
  const std::uint64_t cd_start = pos;
  std::string tail = cd;
  const std::uint64_t rec = cd_start + cd.size();
  put32(tail, 0x06064b50);
  put64(tail, 44);
  put16(tail, 45);
  put16(tail, 45);
  put32(tail, 0);
  put32(tail, 0);
  put64(tail, members.size());
  put64(tail, members.size());
  put64(tail, cd.size());
  put64(tail, cd_start);
  put32(tail, 0x07064b50);
  put32(tail, 0);
  put64(tail, rec);
  put32(tail, 1);
  put32(tail, 0x06054b50);
  put16(tail, 0);
  put16(tail, 0);
  put16(tail, 0xffff);
  put16(tail, 0xffff);
  put32(tail, 0xffffffff);
  put32(tail, 0xffffffff);
  put16(tail, 0);
  out.write(tail.data(), static_cast<std::streamsize>(tail.size()));
}

// A minimal engine for the container pass: detect, scan, recurse into children.
class BenchContext final : public ScanContext {
 public:
  ScanOptions opts;
  std::vector<Artifact> pending;
  std::vector<std::string> formats;
  std::size_t findings = 0, children = 0;
  const ScanOptions& options() const override { return opts; }
  void set_format(std::string f) override { formats.push_back(std::move(f)); }
  void add_finding(report::Finding) override { ++findings; }
  void add_code(CodeEvidence) override {}
  void add_child(Artifact c) override {
    ++children;
    if (c.depth <= opts.limits.max_depth) pending.push_back(std::move(c));
  }
  void add_program(std::string) override {}
  void unscannable(std::string) override { ++findings; }
  bool charge_decompressed(std::uint64_t) override { return true; }
  void run(Artifact root) {
    pending.push_back(std::move(root));
    while (!pending.empty()) {
      Artifact a = std::move(pending.back());
      pending.pop_back();
      if (const FormatHandler* h = detect_format(a)) {
        formats.emplace_back(h->name());
        h->scan(a, *this);
      }
    }
  }
};

long faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt + u.ru_majflt;
}

template <class F>
double seconds(F&& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path dir = argc > 1 ? argv[1] : "/tmp/hubguard-bench";
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  std::vector<std::uint64_t> sizes_mb;
  for (int i = 3; i < argc; ++i) sizes_mb.push_back(std::strtoull(argv[i], nullptr, 10));
  if (sizes_mb.empty()) sizes_mb = {10, 100, 1000, 4000};
  fs::create_directories(dir);

  std::printf("%-10s %14s %14s %14s %12s  %s\n", "size_MB", "container_ms", "scan_file_ms",
              "sha256_ms", "page_faults", "formats / verdict");
  for (std::uint64_t mb : sizes_mb) {
    const fs::path path = dir / ("checkpoint_" + std::to_string(mb) + "MB.pt");
    if (!fs::exists(path)) write_checkpoint(path, mb << 20);
    std::vector<double> container, full, hash;
    long fault_count = 0;
    std::string formats, verdict;
    for (int r = 0; r < runs; ++r) {
      auto mapped = MappedFile::open(path);
      if (!mapped) {
        std::fprintf(stderr, "%s: %s\n", path.c_str(), mapped.error().message.c_str());
        return 2;
      }
      BenchContext ctx;
      Artifact root;
      root.bytes = mapped->bytes();
      root.name = path.filename().string();
      const long f0 = faults();
      container.push_back(seconds([&] { ctx.run(root); }) * 1e3);
      fault_count = faults() - f0;
      formats.clear();
      for (const auto& f : ctx.formats) formats += (formats.empty() ? "" : ",") + f;
      hash.push_back(seconds([&] { (void)sha256_hex(mapped->bytes()); }) * 1e3);
      report::FileReport rep;
      full.push_back(seconds([&] { rep = scan_file(path, ScanOptions{}); }) * 1e3);
      verdict = std::string(report::to_string(rep.verdict));
    }
    std::printf("%-10llu %14.2f %14.1f %14.1f %12ld  %s / %s\n",
                static_cast<unsigned long long>(mb), median(container), median(full),
                median(hash), fault_count, formats.c_str(), verdict.c_str());
    std::fflush(stdout);
  }
  return 0;
}
