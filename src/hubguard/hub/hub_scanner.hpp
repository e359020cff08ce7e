// The hub scan: repositories -> files -> content hash -> result cache -> FileScanner ->
// RepositoryReport -> HubReport. A file's content hash comes from the layout (Hugging Face
// blob names), from the cache's stat memo when its metadata is unchanged, or from reading it;
// a cached report for that hash and scanner version is reused, anything else goes to the
// FileScanner (threads, or isolated worker processes). A repository's verdict is its worst
// file's; what the listing found about the repository itself (links out of the mirror,
// special files, limits) are pseudo-file entries with their own verdicts, so they count the
// same way. Files are batched across repositories so that small repositories keep every
// worker busy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "hubguard/core/result.hpp"
#include "hubguard/hub/file_scanner.hpp"
#include "hubguard/hub/isolated_scanner.hpp"
#include "hubguard/hub/progress.hpp"
#include "hubguard/hub/repository_layout.hpp"
#include "hubguard/hub/result_cache.hpp"
#include "hubguard/report/hub_report.hpp"

namespace hubguard::hub {

struct HubScanOptions {
  scan::ScanOptions scan;
  unsigned workers = 1;
  bool isolate = true;
  IsolationLimits limits;
  std::filesystem::path worker_exe;  // the hubguard binary, for isolation
  std::filesystem::path cache_db;    // empty: no cache (everything scanned, no changes)
  std::string scanner_version;       // scanner_version(); part of every cache key
  ListingLimits listing;
  // Files larger than this are keyed in the cache by their identity on disk (device, inode,
  // size, mtime) instead of a content hash, so that a cold scan does not read every byte of
  // every tensor just to key the cache. Default: hash everything.
  std::uint64_t hash_limit = UINT64_MAX;
  std::size_t batch_files = 256;  // files handed to the FileScanner at once (across repos)
};

// Per-run counters the orchestrator keeps (also what the progress display shows).
struct RepositoryScanSettings {
  std::filesystem::path root;
  std::string scanner_version;
  ListingLimits listing;
  unsigned hash_threads = 1;              // threads reading files to hash them (cache misses only)
  std::uint64_t hash_limit = UINT64_MAX;  // see HubScanOptions::hash_limit
};

// Scans one repository (the PostgreSQL worker's unit of work). `cache` may be null.
report::RepositoryReport scan_repository(const RepositoryLocation& location, FileScanner& scanner,
                                         ResultCache* cache, const RepositoryScanSettings& settings,
                                         ProgressCounters* counters = nullptr);

// The whole root. `on_progress` is called after each batch with the running counters.
Result<report::HubReport> scan_hub(
    const std::filesystem::path& root, const HubScanOptions& options,
    const std::function<void(const ProgressCounters&)>& on_progress = {});

// Fills contents and kind and verdict of a repository from its files (repository_contents).
// Exposed for the PostgreSQL path, which assembles reports from stored rows.
void finish_repository(const std::filesystem::path& root, const RepositoryLocation& location,
                       report::RepositoryReport& repo);

}  // namespace hubguard::hub
