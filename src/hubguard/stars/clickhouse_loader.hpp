// Puts GH Archive hours into a ClickHouse table shaped like the public `github_events` (the
// columns the extract reads: event_type, actor_login, repo_name, created_at, action) plus an
// `org_login` column, so the ClickHouse path of detection can be tested, and used, on any
// archive files — e.g. the synthetic generator's. Events are parsed by the same reader as
// local detection (gharchive_reader.hpp), so both paths see exactly the same events.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/clickhouse_http.hpp"
#include "hubguard/stars/gharchive_reader.hpp"
#include "hubguard/stars/ingest_stats.hpp"

namespace hubguard::stars {

// CREATE TABLE IF NOT EXISTS for `table`: github_events' types for the columns we fill
// (event_type and action as its Enum8s, DateTime created_at) with String for the names —
// 18.16 allows LowCardinality only behind an experimental setting.
std::string github_events_table_ddl(const std::string& table);

struct ClickHouseLoadOptions {
  std::string table = "github_events";
  bool create_table = false;                        // run github_events_table_ddl first
  std::size_t batch_bytes = std::size_t{16} << 20;  // TabSeparated bytes per INSERT
  ReadOptions read;
};

struct ClickHouseLoadStats {
  IngestStats total;          // as `stars ingest` counts them
  std::uint64_t rows = 0;     // events inserted
  std::uint64_t skipped = 0;  // events outside DateTime's 1970..2106 range
  std::uint64_t inserts = 0;  // INSERT statements sent
};

// One event as a TabSeparated row (event_type, actor_login, repo_name, created_at as epoch
// seconds, action, org_login), names escaped for TabSeparated.
void append_github_events_row(std::string& out, std::string_view type, std::string_view action,
                              std::string_view actor, std::string_view repo, std::int64_t time, std::string_view org);

// `files` as listed by list_archive_files. Files that cannot be read are counted in the stats
// (IngestStats::error), as `stars ingest` does; a failed INSERT stops the load with an Error.
Result<ClickHouseLoadStats> load_archives_into_clickhouse(const ClickHouseServer& server,
                                                          const std::vector<std::filesystem::path>& files,
                                                          const ClickHouseLoadOptions& options);

}  // namespace hubguard::stars
