// A small client for ClickHouse's HTTP interface (libcurl): POST a statement, stream the
// answer to a sink. ClickHouse reports a failed statement as a non-200 status with its
// exception text as the body, or — when the failure comes after the first rows were sent —
// as a "Code: N, e.displayText() = DB::Exception: ..." line at the end of a 200 body; both
// become an Error carrying ClickHouse's message. Used by `stars detect --clickhouse` and by
// the loader that puts archive events into a github_events-shaped table.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "hubguard/core/result.hpp"

namespace hubguard::stars {

// `base_url`: "http://host:port" with optional path and query parameters (ClickHouse reads
// e.g. ?database=db&user=u&password=p there). Only http and https are accepted.
struct ClickHouseServer {
  std::string base_url;
};

// Receives the answer in pieces; return false to abort the transfer (then an Error).
using ClickHouseSink = std::function<bool(std::string_view)>;

// Sends `sql` as the POST body; the answer goes to `sink`. Returns the bytes received.
Result<std::uint64_t> clickhouse_query(const ClickHouseServer& server, std::string_view sql, const ClickHouseSink& sink);

// The whole answer as a string, refused past `max_bytes` (for small answers: DESCRIBE, counts).
Result<std::string> clickhouse_query_text(const ClickHouseServer& server, std::string_view sql,
                                          std::size_t max_bytes = std::size_t{1} << 20);

// The answer written to `path` (created or truncated). Returns the bytes written.
Result<std::uint64_t> clickhouse_query_to_file(const ClickHouseServer& server, std::string_view sql,
                                               const std::filesystem::path& path);

// `statement` (e.g. "INSERT INTO t FORMAT TabSeparated") goes in the URL, `data` in the body.
Result<bool> clickhouse_insert(const ClickHouseServer& server, std::string_view statement, std::string_view data);

}  // namespace hubguard::stars
