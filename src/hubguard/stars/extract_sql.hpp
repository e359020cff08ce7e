// `hubguard stars sql`: the SQL that reduces the whole GH Archive, on BigQuery (the public
// `githubarchive` dataset) or ClickHouse (the `github_events` table), to what detection needs:
// every star in a window, and for each account that starred a summary of all its events there.
// The two result sets, saved as CSV, are the "extract" that extract_reader.hpp turns into a
// DetectionInput (format in docs/stars.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hubguard/core/result.hpp"

namespace hubguard::stars {

enum class SqlEngine { kBigQuery, kClickHouse };

struct ExtractSqlOptions {
  SqlEngine engine = SqlEngine::kBigQuery;
  std::string from_month;  // "YYYY-MM", inclusive
  std::string to_month;    // "YYYY-MM", exclusive: [from, to)
  std::string table;       // default: githubarchive.month (BigQuery) / github_events (ClickHouse)
};

// Two statements, each preceded by a comment naming the CSV file its result goes to.
Result<std::string> extract_sql(const ExtractSqlOptions& options);

// The two ClickHouse statements on their own (no comments, no ';'), for sending over HTTP
// (`stars detect --clickhouse`). The window is [from, to) in epoch seconds, either bound
// optional. `org_column` names a column of organisation logins ('' = none) when the table has
// one (the public github_events has not: distinct_orgs is then 0). `table` and `org_column`
// must already be safe identifiers (see is_safe_sql_identifier).
struct ClickHouseExtractQueries {
  std::string stars;     // -> stars.csv
  std::string activity;  // -> activity.csv
};
ClickHouseExtractQueries clickhouse_extract_queries(const std::string& table, std::optional<std::int64_t> from,
                                                    std::optional<std::int64_t> to, const std::string& org_column);

// Letters, digits, '_', '.', '-' only: what dataset/table/column names use, safe to paste into SQL.
bool is_safe_sql_identifier(std::string_view s);

}  // namespace hubguard::stars
