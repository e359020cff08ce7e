// `hubguard stars sql`: the SQL that reduces the whole GH Archive, on BigQuery (the public
// `githubarchive` dataset) or ClickHouse (the `github_events` table), to what detection needs:
// every star in a window, and for each account that starred a summary of all its events there.
// The two result sets, saved as CSV, are the "extract" that extract_reader.hpp turns into a
// DetectionInput (format in docs/stars.md).
#pragma once

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

}  // namespace hubguard::stars
