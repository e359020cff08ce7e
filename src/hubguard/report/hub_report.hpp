// The report of a hub scan (`hubguard hub scan ROOT`): one RepositoryReport per repository
// of a mirror, each with the FileReports of its files (the same entries `hubguard scan`
// produces), a record of what the repository holds, and what changed since the previous run.
// Every writer (text, JSON, HTML) reads this one model.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hubguard/report/report.hpp"

namespace hubguard::report {

enum class RepositoryKind { model, dataset, unknown };

std::string_view to_string(RepositoryKind kind);

// What a repository holds, by the role each file plays when a user loads the repository.
// Paths are relative to the repository root.
struct RepositoryContents {
  std::map<std::string, std::vector<std::string>> model_files;  // detected format -> files
  std::vector<std::string> dataset_scripts;      // Python loading scripts of a dataset
  std::vector<std::string> remote_code_modules;  // modules named by config.json `auto_map`
  std::vector<std::string> not_analysed;         // files no reader analysed (listed, never passed)
};

// How a file's result compares with the previous run of the same cache.
enum class FileChange { unchanged, added, modified, removed };

std::string_view to_string(FileChange change);

struct ChangedFile {
  std::string path;  // relative to the scan root
  FileChange change = FileChange::added;
  Verdict previous = Verdict::clean;  // meaningful for modified/removed
  Verdict current = Verdict::clean;   // meaningful for added/modified
};

struct RepositoryReport {
  std::string path;  // repository id as laid out under the root, e.g. "models/owner/name"
  RepositoryKind kind = RepositoryKind::unknown;
  Verdict verdict = Verdict::clean;  // the worst verdict of its files
  std::vector<FileReport> files;     // FileReport::path is relative to the scan root
  RepositoryContents contents;
};

struct HubSummary {
  std::size_t repositories = 0;
  std::size_t files = 0;
  std::uint64_t bytes = 0;
  std::size_t findings = 0;
  std::size_t files_scanned = 0;    // parsed in this run
  std::size_t files_from_cache = 0; // result reused (same content hash, same scanner version)
  std::map<std::string, std::size_t> repositories_by_verdict;
  std::map<std::string, std::size_t> files_by_verdict;
  std::map<std::string, std::size_t> findings_by_category;
  Verdict worst = Verdict::clean;
};

struct HubReport {
  ToolInfo tool;
  std::string root;
  std::vector<RepositoryReport> repositories;
  std::vector<ChangedFile> changes;  // empty on a first run
  HubSummary summary;                // filled by summarize()

  HubSummary summarize() const;
};

}  // namespace hubguard::report
