// Reads GH Archive hours (gzipped or plain JSON lines, either era) into event tables. Each
// file is decompressed (ISA-L igzip) and parsed (simdjson On Demand, one line at a time so a
// broken line cannot spoil its neighbours) in a bounded buffer, never whole in memory.
// Files are read in parallel, one file per task, and merged in list order, so the result is
// the same for any thread count. Problems are counted per file in IngestStats, never fatal.
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

#include "hubguard/core/parallel.hpp"
#include "hubguard/stars/event_table.hpp"
#include "hubguard/stars/ingest_stats.hpp"

namespace hubguard::stars {

struct ReadOptions {
  unsigned threads = default_threads();
  std::size_t chunk_bytes = std::size_t{4} << 20;       // decompression buffer
  std::size_t max_line_bytes = std::size_t{64} << 20;   // longer lines are counted malformed
};

struct ParsedFile {
  std::filesystem::path path;
  IngestStats stats;
  EventTable table;  // events in file order, with the file's own dictionaries
};

ParsedFile read_archive_file(const std::filesystem::path& path, const ReadOptions& options = {});

// Events already decompressed: JSON lines in `text`. For tests and for callers with their own
// transport. Counts go to `stats` (bytes_in/bytes_out are left to the caller).
void parse_json_lines(std::string_view text, EventTable& table, IngestStats& stats);

struct ReadResult {
  EventTable table;                   // all files merged in list order, sorted by time
  std::vector<IngestStats> per_file;  // same order as the input list
  IngestStats total;
};

// `files` as listed by list_archive_files (read in that order, merged in that order).
ReadResult read_archives(const std::vector<std::filesystem::path>& files, const ReadOptions& options = {});

}  // namespace hubguard::stars
