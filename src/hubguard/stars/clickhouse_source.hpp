// `stars detect --clickhouse URL`: runs the extract statements (extract_sql.hpp) against a
// ClickHouse server over HTTP, saves the two CSV answers as an extract directory and reads it
// with extract_reader.hpp, so the server path gives the same DetectionInput as the local one.
// The table must have github_events' columns event_type, actor_login, repo_name, created_at
// and action; when it also has org_login (our loader adds it; the public table has none),
// distinct organisations are counted too.
#pragma once

#include <filesystem>
#include <string>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/clickhouse_http.hpp"
#include "hubguard/stars/detection_input.hpp"
#include "hubguard/stars/event_source.hpp"

namespace hubguard::stars {

struct ClickHouseExtractOptions {
  std::string table = "github_events";  // "table" or "database.table"
  // Where to keep the two CSV answers; empty = a private temporary directory, removed after.
  std::filesystem::path keep_dir;
};

// The org column the extract will use: "org_login" when `table` has it, else "". Errors when
// the table is missing or lacks a column the statements need.
Result<std::string> clickhouse_org_column(const ClickHouseServer& server, const std::string& table);

Result<DetectionInput> detection_input_from_clickhouse(const ClickHouseServer& server, const TimeWindow& window,
                                                       const ClickHouseExtractOptions& options = {});

}  // namespace hubguard::stars
