#include "hubguard/hub/hub_scanner.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <unordered_map>

#include "hubguard/core/parallel.hpp"
#include "hubguard/hub/file_hash.hpp"
#include "hubguard/hub/repository_contents.hpp"
#include "hubguard/scan/extension_check.hpp"

namespace hubguard::hub {
namespace fs = std::filesystem;
namespace {

constexpr std::uint64_t kMaxConfigBytes = 1 << 20;  // config.json files are a few KB

// A cached report was made for some file with this content; only the name-dependent parts
// (the path, the extension check) belong to the file at hand.
void adopt_name(report::FileReport& file, const std::string& display_path) {
  file.path = display_path;
  file.findings.erase(std::remove_if(file.findings.begin(), file.findings.end(),
                                     [](const report::Finding& f) {
                                       return f.rule == "format.extension-mismatch";
                                     }),
                      file.findings.end());
  if (auto mismatch =
          scan::check_extension(fs::path(display_path).filename().string(), file.format))
    file.findings.push_back(std::move(*mismatch));
  file.finalize();
}

bool flagged(const report::FileReport& f) {
  return f.verdict != report::Verdict::clean;
}

std::size_t flagged_findings(const report::FileReport& f) {
  return static_cast<std::size_t>(
      std::count_if(f.findings.begin(), f.findings.end(),
                    [](const report::Finding& x) { return x.verdict != report::Verdict::clean; }));
}

// config.json (and tokenizer_config.json) text, read only from a listed regular file of this
// repository, bounded.
std::string read_small(const RepositoryListing& listing, const std::string& relative) {
  for (const auto& f : listing.files) {
    if (f.relative != relative) continue;
    if (f.size > kMaxConfigBytes) return {};
    std::ifstream in(f.target, std::ios::binary);
    std::string text(static_cast<std::size_t>(f.size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
  }
  return {};
}

std::string prefix_of(const RepositoryLocation& location) {
  std::string p = location.dir.generic_string();
  return p == "." ? std::string() : p;
}

// One repository in flight: its listing and one report slot per listed file.
struct RepoWork {
  RepositoryLocation location;
  RepositoryListing listing;
  std::vector<report::FileReport> slots;
  // The cache key of each file: its content SHA-256, or, for a file over the hash limit, its
  // identity on disk (stat_key); empty when unknown (no cache, unreadable).
  std::vector<std::string> hashes;
};

// Files over the hash limit are keyed by where they are and their metadata instead of by
// content: reading every byte of a mirror's terabytes of tensors just to key a cache would
// cost more than scanning them (the readers touch only headers and pickles). No sharing
// between copies, but unchanged files are still never scanned twice.
std::string stat_key(const RepositoryFile& f) {
  return "stat:" + std::to_string(f.device) + ":" + std::to_string(f.inode) + ":" +
         std::to_string(f.size) + ":" + std::to_string(f.mtime_ns);
}

bool is_content_hash(const std::string& key) {
  return key.size() == 64;
}

// Scans windows of repositories: list, hash, look up, scan the misses as one batch, finish.
class WindowScanner {
 public:
  WindowScanner(const fs::path& root, FileScanner& scanner, ResultCache* cache,
                unsigned hash_threads, std::uint64_t hash_limit, ListingLimits listing,
                ProgressCounters& counters,
                const std::function<void(const ProgressCounters&)>& on_progress)
      : root_(root),
        scanner_(scanner),
        cache_(cache),
        hash_threads_(std::max(1u, hash_threads)),
        hash_limit_(hash_limit),
        listing_limits_(listing),
        counters_(counters),
        on_progress_(on_progress) {}

  RepoWork list(const RepositoryLocation& location) {
    RepoWork w;
    w.location = location;
    w.listing = list_repository_files(root_, location, listing_limits_);
    w.slots.resize(w.listing.files.size());
    w.hashes.resize(w.listing.files.size());
    return w;
  }

  // Fills every slot of every repository in `window`.
  void scan(std::vector<RepoWork>& window) {
    struct Ref {
      std::size_t repo, file;
    };
    std::vector<Ref> to_hash;
    for (std::size_t r = 0; r < window.size(); ++r) {
      auto& w = window[r];
      for (std::size_t i = 0; i < w.listing.files.size(); ++i) {
        const auto& f = w.listing.files[i];
        if (!f.known_sha256.empty()) {
          w.hashes[i] = f.known_sha256;
        } else if (cache_) {
          if (auto sha = cache_->remembered_sha256(f)) w.hashes[i] = *sha;
        }
        if (w.hashes[i].empty() && cache_) {
          if (f.size > hash_limit_) {
            w.hashes[i] = stat_key(f);
          } else {
            to_hash.push_back({r, i});
          }
        }
      }
    }
    // Hash only with a cache to key: without one, hashing would read every byte for nothing.
    parallel_for(to_hash.size(), hash_threads_, [&](std::size_t k) {
      auto& w = window[to_hash[k].repo];
      const auto& f = w.listing.files[to_hash[k].file];
      if (auto sha = sha256_of_file(f.target)) {
        w.hashes[to_hash[k].file] = *sha;
        cache_->remember_sha256(f, *sha);
      }
    });

    std::vector<FileJob> jobs;
    std::vector<Ref> job_refs;
    // Identical content met twice in one batch (shared tokenizer files, copied checkpoints) is
    // parsed once; the copies take the first one's report.
    std::unordered_map<std::string, std::size_t> job_of_key;
    std::vector<std::pair<Ref, std::size_t>> copies;
    for (std::size_t r = 0; r < window.size(); ++r) {
      auto& w = window[r];
      for (std::size_t i = 0; i < w.listing.files.size(); ++i) {
        const auto& f = w.listing.files[i];
        if (cache_ && !w.hashes[i].empty()) {
          if (auto hit = cache_->lookup(w.hashes[i])) {
            adopt_name(*hit, f.display_path);
            hit->sha256 = is_content_hash(w.hashes[i]) ? w.hashes[i] : std::string();
            hit->size = f.size;
            count_done(*hit, Source::cache);
            w.slots[i] = std::move(*hit);
            continue;
          }
        }
        if (!w.hashes[i].empty()) {
          auto [it, fresh] = job_of_key.emplace(w.hashes[i], jobs.size());
          if (!fresh) {
            copies.push_back({{r, i}, it->second});
            continue;
          }
        }
        jobs.push_back({f.path, f.display_path});
        job_refs.push_back({r, i});
      }
    }
    if (!jobs.empty()) {
      scanner_.scan(jobs, [&](std::size_t j, report::FileReport file) {
        auto& w = window[job_refs[j].repo];
        const std::string& sha = w.hashes[job_refs[j].file];
        file.path = w.listing.files[job_refs[j].file].display_path;
        if (!sha.empty()) {
          if (is_content_hash(sha)) file.sha256 = sha;
          // A report with no format is one where nothing was parsed: the worker died, hit a
          // limit or timed out, or the file could not be opened. Those may not happen again
          // (a timeout under load, a file being replaced), so they are not remembered.
          if (cache_ && !file.format.empty()) cache_->store(sha, file);
        }
        count_done(file, Source::scanned);
        w.slots[job_refs[j].file] = std::move(file);
        if (on_progress_) on_progress_(counters_);
      });
    }
    for (const auto& [ref, job] : copies) {
      const Ref& first = job_refs[job];
      report::FileReport copy = window[first.repo].slots[first.file];
      auto& w = window[ref.repo];
      adopt_name(copy, w.listing.files[ref.file].display_path);
      copy.size = w.listing.files[ref.file].size;
      count_done(copy, Source::cache);
      w.slots[ref.file] = std::move(copy);
    }
  }

  report::RepositoryReport finish(RepoWork& w) {
    report::RepositoryReport repo;
    repo.path = w.location.id;
    repo.kind = w.location.kind;
    repo.files = std::move(w.slots);
    for (auto& pseudo : w.listing.findings) {
      count_done(pseudo, Source::listing);
      repo.files.push_back(std::move(pseudo));
    }
    std::sort(
        repo.files.begin(), repo.files.end(),
        [](const report::FileReport& a, const report::FileReport& b) { return a.path < b.path; });
    const std::string prefix = prefix_of(w.location);
    const std::string config = read_small(w.listing, "config.json");
    std::vector<std::string> modules = auto_map_modules(config);
    for (auto& m : auto_map_modules(read_small(w.listing, "tokenizer_config.json")))
      modules.push_back(std::move(m));
    std::sort(modules.begin(), modules.end());
    modules.erase(std::unique(modules.begin(), modules.end()), modules.end());
    repo.kind = infer_kind(w.location.kind, repo.files, prefix, config);
    repo.contents = describe_contents(repo.files, prefix, repo.kind, modules);
    repo.verdict = report::Verdict::clean;
    for (const auto& f : repo.files) repo.verdict = report::worst(repo.verdict, f.verdict);
    ++counters_.repositories_done;
    return repo;
  }

 private:
  enum class Source { scanned, cache, listing };
  void count_done(const report::FileReport& f, Source scanned) {
    ++counters_.files_done;
    if (scanned == Source::scanned) ++counters_.files_scanned;
    if (scanned == Source::cache) ++counters_.files_cached;
    counters_.bytes_done += f.size;
    counters_.findings += flagged_findings(f);
    if (flagged(f)) ++counters_.flagged_files;
  }

  fs::path root_;
  FileScanner& scanner_;
  ResultCache* cache_;
  unsigned hash_threads_;
  std::uint64_t hash_limit_;
  ListingLimits listing_limits_;
  ProgressCounters& counters_;
  const std::function<void(const ProgressCounters&)>& on_progress_;
};

fs::path absolute_root(const fs::path& root) {
  std::error_code ec;
  auto canonical = fs::canonical(root, ec);
  return ec ? fs::absolute(root, ec) : canonical;
}

}  // namespace

report::RepositoryReport scan_repository(const RepositoryLocation& location, FileScanner& scanner,
                                         ResultCache* cache, const RepositoryScanSettings& settings,
                                         ProgressCounters* counters) {
  ProgressCounters local;
  const std::function<void(const ProgressCounters&)> no_progress;
  WindowScanner ws(absolute_root(settings.root), scanner, cache, settings.hash_threads,
                   settings.hash_limit, settings.listing, counters ? *counters : local,
                   no_progress);
  std::vector<RepoWork> window;
  window.push_back(ws.list(location));
  ws.scan(window);
  auto repo = ws.finish(window.front());
  if (cache) (void)cache->commit();
  return repo;
}

void finish_repository(const fs::path& root, const RepositoryLocation& location,
                       report::RepositoryReport& repo) {
  const std::string prefix = prefix_of(location);
  const auto listing = list_repository_files(absolute_root(root), location);
  const std::string config = read_small(listing, "config.json");
  auto modules = auto_map_modules(config);
  for (auto& m : auto_map_modules(read_small(listing, "tokenizer_config.json")))
    modules.push_back(std::move(m));
  std::sort(modules.begin(), modules.end());
  modules.erase(std::unique(modules.begin(), modules.end()), modules.end());
  repo.kind = infer_kind(location.kind, repo.files, prefix, config);
  repo.contents = describe_contents(repo.files, prefix, repo.kind, modules);
  repo.verdict = report::Verdict::clean;
  for (const auto& f : repo.files) repo.verdict = report::worst(repo.verdict, f.verdict);
}

Result<report::HubReport> scan_hub(
    const fs::path& root_arg, const HubScanOptions& options,
    const std::function<void(const ProgressCounters&)>& on_progress) {
  const fs::path root = absolute_root(root_arg);
  auto locations = find_repositories(root);
  if (!locations) return locations.error();

  std::unique_ptr<ResultCache> cache;
  if (!options.cache_db.empty()) {
    auto opened = ResultCache::open(options.cache_db, options.scanner_version);
    if (!opened) return opened.error();
    cache = std::move(*opened);
  }
  std::unique_ptr<FileScanner> scanner =
      options.isolate
          ? make_isolated_scanner(options.worker_exe, options.scan, options.workers, options.limits)
          : make_thread_scanner(options.scan, options.workers);

  report::HubReport out;
  out.root = root_arg.string();
  ProgressCounters counters;
  counters.repositories_total = locations->size();
  WindowScanner ws(root, *scanner, cache.get(), options.workers, options.hash_limit,
                   options.listing, counters, on_progress);

  const std::size_t batch = std::max<std::size_t>(1, options.batch_files);
  std::vector<RunEntry> run;
  std::size_t next = 0;
  while (next < locations->size()) {
    std::vector<RepoWork> window;
    std::size_t files = 0;
    while (next < locations->size() && (window.empty() || files < batch)) {
      window.push_back(ws.list((*locations)[next++]));
      files += window.back().listing.files.size();
    }
    ws.scan(window);
    for (auto& w : window) {
      if (cache) {
        // Change detection compares cache keys (content hash, or stat key over the hash limit).
        for (std::size_t i = 0; i < w.slots.size(); ++i)
          run.push_back({w.listing.files[i].display_path, w.hashes[i], w.slots[i].verdict});
        for (const auto& pseudo : w.listing.findings)
          run.push_back({pseudo.path, std::string(), pseudo.verdict});
      }
      out.repositories.push_back(ws.finish(w));
    }
    if (cache) {
      if (auto done = cache->commit(); !done) return done.error();
    }
    if (on_progress) on_progress(counters);
  }

  if (cache) {
    auto changes = cache->record_run(root.string(), run);
    if (!changes) return changes.error();
    out.changes = std::move(*changes);
  }
  out.summary.files_scanned = counters.files_scanned;
  out.summary.files_from_cache = counters.files_cached;
  out.summary = out.summarize();
  return out;
}

}  // namespace hubguard::hub
