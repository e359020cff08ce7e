// Ingestion throughput of GH Archive .json.gz per core, against `zcat FILE > /dev/null` on the
// same file, plus the event store's bytes per event. A plain main() (not Google Benchmark):
// the comparison needs a child process and CPU times, and reports medians of several runs.
//
//   stars_ingest_bench [--runs N] [--copies N] [FILE...]
// Without FILE, builds /tmp/hubguard_ingest_bench/hour_xN.json.gz from N (default 20) copies of
// ../shared/data/gharchive/2015-01-01-12.json.gz (a multi-member gzip, as `cat` makes it).
// Throughput = compressed input bytes / CPU seconds (user+sys) of one core, so the figure
// does not depend on what else the machine runs; wall-clock medians are printed beside it.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "hubguard/core/mapped_file.hpp"
#include "hubguard/stars/event_store.hpp"
#include "hubguard/stars/gharchive_reader.hpp"
#include "hubguard/stars/gzip_stream.hpp"

namespace fs = std::filesystem;
using namespace hubguard::stars;

namespace {

struct Sample {
  double cpu = 0;
  double wall = 0;
};

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

template <class Fn>
Sample measure(Fn&& fn) {
  const double c0 = thread_cpu_seconds(), w0 = now();
  fn();
  return {thread_cpu_seconds() - c0, now() - w0};
}

// zcat FILE > /dev/null in a child; CPU time from wait4's rusage.
Sample run_zcat(const fs::path& file) {
  const double w0 = now();
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open("/dev/null", O_WRONLY);
    dup2(fd, 1);
    execlp("zcat", "zcat", file.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  const double cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                     static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  return {cpu, now() - w0};
}

fs::path make_input(int copies) {
  // shared/ sits beside the repository; this file is <repo>/bench/stars_ingest_bench.cpp.
  const fs::path shared = fs::path(__FILE__).parent_path().parent_path().parent_path() / "shared";
  const fs::path hour = shared / "data" / "gharchive" / "2015-01-01-12.json.gz";
  const fs::path dir = fs::temp_directory_path() / "hubguard_ingest_bench";
  fs::create_directories(dir);
  const fs::path out = dir / ("hour_x" + std::to_string(copies) + ".json.gz");
  if (fs::exists(out)) return out;
  std::ifstream in(hour, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  if (bytes.empty()) {
    std::fprintf(stderr, "cannot read %s\n", hour.c_str());
    std::exit(2);
  }
  std::ofstream o(out, std::ios::binary);
  for (int i = 0; i < copies; ++i) o.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5, copies = 20;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--copies") && i + 1 < argc) copies = std::atoi(argv[++i]);
    else files.emplace_back(argv[i]);
  }
  if (files.empty()) files.push_back(make_input(copies));

  ReadOptions one_thread;
  one_thread.threads = 1;
  for (const auto& file : files) {
    const double mb_in = static_cast<double>(fs::file_size(file)) / 1e6;
    std::vector<double> ingest_cpu, ingest_wall, inflate_cpu, zcat_cpu, zcat_wall;
    IngestStats stats;
    for (int r = 0; r < runs; ++r) {
      Sample s = measure([&] { stats = read_archive_file(file, one_thread).stats; });
      ingest_cpu.push_back(s.cpu);
      ingest_wall.push_back(s.wall);
      Sample d = measure([&] {
        auto map = hubguard::MappedFile::open(file);
        GzipStream g(map->bytes());
        std::vector<std::uint8_t> buf(4 << 20);
        while (g.read(buf.data(), buf.size()) > 0) {
        }
      });
      inflate_cpu.push_back(d.cpu);
      Sample z = run_zcat(file);
      zcat_cpu.push_back(z.cpu);
      zcat_wall.push_back(z.wall);
    }
    std::printf("%s: %.1f MB compressed, %.1f MB JSON, %llu events (%llu stars), %d runs, medians:\n",
                file.c_str(), mb_in, static_cast<double>(stats.bytes_out) / 1e6,
                static_cast<unsigned long long>(stats.events), static_cast<unsigned long long>(stats.stars), runs);
    std::printf("  hubguard ingest (igzip + simdjson + dictionaries): %7.1f MB/s per core (CPU %.3f s, wall %.3f s)\n",
                mb_in / median(ingest_cpu), median(ingest_cpu), median(ingest_wall));
    std::printf("  igzip decompression alone:                         %7.1f MB/s per core (CPU %.3f s)\n",
                mb_in / median(inflate_cpu), median(inflate_cpu));
    std::printf("  zcat FILE > /dev/null:                             %7.1f MB/s per core (CPU %.3f s, wall %.3f s)\n",
                mb_in / median(zcat_cpu), median(zcat_cpu), median(zcat_wall));
    std::printf("  ingest / zcat speed: %.2fx\n", median(zcat_cpu) / median(ingest_cpu));

    // Store footprint for these events.
    const fs::path store = fs::temp_directory_path() / "hubguard_ingest_bench" / "store";
    fs::remove_all(store);
    ReadResult read = read_archives({file}, one_thread);
    auto appended = append_to_store(store, read.table, {});
    auto opened = EventStore::open(store);
    if (!appended || !opened) {
      std::fprintf(stderr, "store failed\n");
      return 2;
    }
    const double ev = static_cast<double>(opened->events());
    std::printf("  event store: %.0f events, %.2f bytes/event in segments, +%.2f bytes/event of names "
                "(%llu actors, %llu repos, %llu orgs)\n",
                ev, static_cast<double>(opened->segment_bytes()) / ev,
                static_cast<double>(opened->dictionary_bytes()) / ev,
                static_cast<unsigned long long>(opened->manifest().actors.count),
                static_cast<unsigned long long>(opened->manifest().repos.count),
                static_cast<unsigned long long>(opened->manifest().orgs.count));
    fs::remove_all(store);
  }
  return 0;
}
