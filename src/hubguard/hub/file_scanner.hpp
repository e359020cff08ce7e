// How a hub scan gets files scanned: a FileScanner takes a batch of jobs and reports each
// file's result once. Two implementations: threads in this process (make_thread_scanner) and
// worker processes under resource limits (make_isolated_scanner, isolated_scanner.hpp).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "hubguard/report/file_report.hpp"
#include "hubguard/scan/scan_context.hpp"

namespace hubguard::hub {

struct FileJob {
  std::filesystem::path path;  // the file to open
  std::string display_path;    // the path its report carries
};

class FileScanner {
 public:
  virtual ~FileScanner() = default;
  // Scans every job; calls on_done(index, report) exactly once per job, serialised (never two
  // calls at once), in any order. Returns when every job is done.
  virtual void scan(std::span<const FileJob> jobs,
                    const std::function<void(std::size_t, report::FileReport)>& on_done) = 0;
};

std::unique_ptr<FileScanner> make_thread_scanner(const scan::ScanOptions& options, unsigned threads);

}  // namespace hubguard::hub
