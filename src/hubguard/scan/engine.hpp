// The scan engine: from a path on disk to a FileReport. It maps the file, detects the
// format of each artifact by content, lets the handler scan it, recurses into child
// artifacts under the engine-wide limits (depth, member count, decompressed bytes), then
// runs the analyzers over the collected code evidence. Containers are walked with an
// explicit work list, not recursion, so nesting depth cannot exhaust the stack.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "hubguard/core/bytes.hpp"
#include "hubguard/report/report.hpp"
#include "hubguard/scan/scan_context.hpp"

namespace hubguard::scan {

// Scan one file on disk.
report::FileReport scan_file(const std::filesystem::path& path, const ScanOptions& options);

// Scan bytes already in memory as if they were a file called `display_path` (tests, fuzzers,
// worker processes).
report::FileReport scan_bytes(Bytes bytes, const std::string& display_path,
                              const ScanOptions& options);

// Expand files and directories (recursively, sorted, not following directory symlinks) into
// the list of regular files to scan. Paths that do not exist are returned in `missing`.
std::vector<std::filesystem::path> collect_files(const std::vector<std::filesystem::path>& roots,
                                                 std::vector<std::string>& missing);

// Scan many files on `threads` threads; the report keeps the input order.
report::Report scan_paths(const std::vector<std::filesystem::path>& files,
                          const ScanOptions& options, unsigned threads);

}  // namespace hubguard::scan
