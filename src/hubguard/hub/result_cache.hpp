// The hub scan's memory between runs, in one SQLite file (WAL journal, so a reader never
// blocks the scan). Three tables:
//   results   (sha256, scanner) -> the FileReport as CBOR of its JSON codec (the key is a
//             "stat:..." identity instead for files over the hub scan's hash limit). The scanner
//             version (scanner_version.hpp) is part of the key, so a new detection logic never
//             reuses an old verdict; a report is name-independent (see hub_scanner.cpp).
//   stat_memo path -> (size, mtime_ns, inode, device, sha256): a warm re-scan trusts the hash
//             of a file whose metadata did not change instead of reading it again.
//   last_run  (root, path) -> (sha256, verdict) of the previous completed run of that root,
//             from which the next run reports what was added, modified, removed or re-judged.
// Writes are buffered and committed in one transaction per batch (commit()). The class is
// safe to call from several threads (one mutex; SQLite work is small next to scanning).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hubguard/core/result.hpp"
#include "hubguard/hub/repository_layout.hpp"
#include "hubguard/report/hub_report.hpp"

namespace hubguard::hub {

// What one completed run saw of one file: compared with the previous run by record_run.
struct RunEntry {
  std::string path;  // relative to the root
  std::string sha256;
  report::Verdict verdict = report::Verdict::clean;
};

class ResultCache {
 public:
  // Opens (creating if needed, with its folder) the database. A corrupt, locked or unwritable
  // file is an Error naming the path.
  static Result<std::unique_ptr<ResultCache>> open(const std::filesystem::path& db,
                                                   std::string scanner_version);
  ~ResultCache();
  ResultCache(const ResultCache&) = delete;
  ResultCache& operator=(const ResultCache&) = delete;

  const std::string& scanner_version() const { return version_; }

  // The hash remembered for this file if its size, mtime, inode and device are unchanged.
  std::optional<std::string> remembered_sha256(const RepositoryFile& file);
  void remember_sha256(const RepositoryFile& file, const std::string& sha256);

  // The stored report of this content for this scanner version (path not meaningful).
  std::optional<report::FileReport> lookup(const std::string& sha256);
  void store(const std::string& sha256, const report::FileReport& file);

  // Writes what is buffered, in one transaction.
  Result<bool> commit();

  // Compares `current` with the previous run of `root` (nothing on a first run) and makes
  // `current` the previous run for next time. Unchanged files whose verdict is the same are
  // not listed; an unchanged file whose verdict changed (new scanner) is, as `unchanged`.
  Result<std::vector<report::ChangedFile>> record_run(const std::string& root,
                                                      const std::vector<RunEntry>& current);

 private:
  ResultCache(sqlite3* db, std::string version) : db_(db), version_(std::move(version)) {}
  Result<bool> flush_locked();

  struct MemoWrite {
    std::string path;
    std::uint64_t size, inode, device;
    std::int64_t mtime_ns;
    std::string sha256;
  };

  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  std::string version_;
  std::vector<MemoWrite> memo_writes_;
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> result_writes_;
};

// The default database: $XDG_CACHE_HOME/hubguard/hub-cache.sqlite, else
// $HOME/.cache/hubguard/hub-cache.sqlite (the mirror itself may be read-only).
std::filesystem::path default_cache_path();

}  // namespace hubguard::hub
