// `hubguard stars ingest PATH... --store DIR`: parse GH Archive hours (files or directories)
// and append them to an event store, printing what each file held and what was wrong with it.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/stars_commands.hpp"
#include "hubguard/stars/archive_files.hpp"
#include "hubguard/stars/event_store.hpp"
#include "hubguard/stars/gharchive_reader.hpp"

namespace hubguard::cli {
namespace {

namespace fs = std::filesystem;
using namespace hubguard::stars;

struct IngestArgs {
  std::vector<std::string> paths;
  std::string store;
  unsigned threads = 0;
  std::size_t batch_files = 168;  // a week of hours per segment
  double batch_gb = 2.0;          // compressed input per batch (bounds memory)
  bool compact = false;
  bool quiet = false;
};

// Past this many segments an ingest merges the newest half, so hour-by-hour appends do not
// leave thousands of tiny files for readers to merge.
constexpr std::size_t kAutoCompactSegments = 64;

double mb(std::uint64_t bytes) { return static_cast<double>(bytes) / 1e6; }

void print_stats(const std::string& label, const IngestStats& s) {
  std::printf("%s: lines %llu, events %llu, stars %llu, malformed %llu, truncated %llu, unknown_shape %llu, "
              "%.1f MB in, %.1f MB out%s%s\n",
              label.c_str(), static_cast<unsigned long long>(s.lines), static_cast<unsigned long long>(s.events),
              static_cast<unsigned long long>(s.stars), static_cast<unsigned long long>(s.malformed),
              static_cast<unsigned long long>(s.truncated), static_cast<unsigned long long>(s.unknown_shape),
              mb(s.bytes_in), mb(s.bytes_out), s.error.empty() ? "" : " — ", s.error.c_str());
}

int run_ingest(const IngestArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<fs::path> inputs(args.paths.begin(), args.paths.end());
  auto files = list_archive_files(inputs);
  if (!files) {
    std::fprintf(stderr, "hubguard: error: %s\n", files.error().message.c_str());
    return kExitError;
  }
  const fs::path dir = args.store;

  // Skip hours the store already holds (by file name).
  std::map<std::string, std::uint64_t> known;
  if (is_event_store(dir)) {
    auto m = read_manifest(dir);
    if (!m) {
      std::fprintf(stderr, "hubguard: error: %s\n", m.error().message.c_str());
      return kExitError;
    }
    for (const auto& s : m->sources) known[s.name] = s.size;
  } else if (fs::exists(dir) && !fs::is_empty(dir)) {
    std::fprintf(stderr, "hubguard: error: %s exists and is not an event store\n", dir.c_str());
    return kExitError;
  }
  std::vector<fs::path> todo;
  std::uint64_t skipped = 0;
  for (const auto& f : *files) {
    const std::string name = f.filename().string();
    auto it = known.find(name);
    if (it == known.end()) {
      todo.push_back(f);
      known[name] = 0;  // a name twice on the command line is read once
      continue;
    }
    ++skipped;
    std::error_code ec;
    const auto size = fs::file_size(f, ec);
    if (!ec && it->second != 0 && size != it->second)
      std::fprintf(stderr, "hubguard: warning: %s: already ingested with a different size (%llu bytes); skipped\n",
                   f.c_str(), static_cast<unsigned long long>(it->second));
    else if (!args.quiet)
      std::printf("%s: already in the store, skipped\n", f.c_str());
  }

  ReadOptions options;
  if (args.threads > 0) options.threads = args.threads;
  IngestStats total;
  std::uint64_t unreadable = 0;
  const auto batch_bytes = static_cast<std::uint64_t>(args.batch_gb * 1e9);
  std::size_t i = 0;
  while (i < todo.size()) {
    std::vector<fs::path> batch;
    std::uint64_t bytes = 0;
    while (i < todo.size() && batch.size() < std::max<std::size_t>(args.batch_files, 1) &&
           (batch.empty() || bytes < batch_bytes)) {
      std::error_code ec;
      bytes += fs::file_size(todo[i], ec);
      batch.push_back(todo[i++]);
    }
    ReadResult read = read_archives(batch, options);
    std::vector<StoreSource> sources;
    for (std::size_t k = 0; k < batch.size(); ++k) {
      const IngestStats& s = read.per_file[k];
      if (!args.quiet || !s.error.empty() || s.malformed || s.unknown_shape) print_stats(batch[k].string(), s);
      // A file that could not be opened is not recorded, so a later ingest retries it.
      if (s.bytes_in == 0 && !s.error.empty() && s.truncated == 0) {
        ++unreadable;
        continue;
      }
      sources.push_back(StoreSource{batch[k].filename().string(), s.bytes_in, s.events});
    }
    total.add(read.total);
    auto appended = append_to_store(dir, read.table, sources);
    if (!appended) {
      std::fprintf(stderr, "hubguard: error: %s\n", appended.error().message.c_str());
      return kExitError;
    }
  }

  if (!todo.empty() || args.compact) {
    auto store = EventStore::open(dir);
    if (!store) {
      std::fprintf(stderr, "hubguard: error: %s\n", store.error().message.c_str());
      return kExitError;
    }
    const std::size_t segments = store->manifest().segments.size();
    if (args.compact || segments > kAutoCompactSegments) {
      auto c = compact_store(dir, args.compact ? 0 : segments / 2);
      if (!c) {
        std::fprintf(stderr, "hubguard: error: compaction: %s\n", c.error().message.c_str());
        return kExitError;
      }
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  print_stats("total (" + std::to_string(todo.size()) + " files read, " + std::to_string(skipped) + " skipped)", total);
  std::printf("time %.2f s, %.1f MB/s compressed in, %.1f MB/s decompressed\n", secs, mb(total.bytes_in) / secs,
              mb(total.bytes_out) / secs);
  if (is_event_store(dir)) {
    auto store = EventStore::open(dir);
    if (!store) {
      std::fprintf(stderr, "hubguard: error: %s\n", store.error().message.c_str());
      return kExitError;
    }
    const auto events = store->events();
    std::printf("store %s: %llu events in %zu segments, %llu actors, %llu repos, %llu orgs; "
                "%.1f MB events (%.2f bytes/event) + %.1f MB names\n",
                dir.c_str(), static_cast<unsigned long long>(events), store->manifest().segments.size(),
                static_cast<unsigned long long>(store->manifest().actors.count),
                static_cast<unsigned long long>(store->manifest().repos.count),
                static_cast<unsigned long long>(store->manifest().orgs.count), mb(store->segment_bytes()),
                events ? static_cast<double>(store->segment_bytes()) / static_cast<double>(events) : 0.0,
                mb(store->dictionary_bytes()));
  }
  if (unreadable > 0) {
    std::fprintf(stderr, "hubguard: error: %llu file(s) could not be read\n", static_cast<unsigned long long>(unreadable));
    return kExitError;
  }
  return kExitOk;
}

}  // namespace

void register_stars_ingest(CLI::App& stars, int& exit_code) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* cmd = stars.add_subcommand(
      "ingest", "Parse GH Archive hours (.json.gz/.json files or directories) into an event store");
  cmd->add_option("paths", args->paths, "Archive files or directories (read recursively)")->required();
  cmd->add_option("--store", args->store, "Event store directory (created if missing)")->required();
  cmd->add_option("-j,--threads", args->threads, "Files decoded in parallel (default: all cores)");
  cmd->add_option("--batch-files", args->batch_files, "Files per store segment (default 168)");
  cmd->add_option("--batch-gb", args->batch_gb, "Compressed GB per batch, bounds memory (default 2)");
  cmd->add_flag("--compact", args->compact, "Merge all segments into one after ingesting");
  cmd->add_flag("-q,--quiet", args->quiet, "Print only files with problems and the totals");
  cmd->callback([args, &exit_code] { exit_code = run_ingest(*args); });
}

}  // namespace hubguard::cli
