// The ClickHouse side without a server: the statements `stars detect --clickhouse` sends
// (window bounds, the org column when the table has one, no alias that shadows created_at),
// and the TabSeparated rows the loader inserts. The server round trip itself is
// tests/cli/stars_clickhouse_cli_test.cpp.
#include <gtest/gtest.h>

#include "hubguard/stars/clickhouse_loader.hpp"
#include "hubguard/stars/extract_sql.hpp"
#include "hubguard/stars/timestamp.hpp"

namespace hubguard::stars {
namespace {

TEST(ClickHouseSql, WindowBoundsAreOptionalAndUtc) {
  const auto from = parse_timestamp("2023-01-10T00:00:00Z"), to = parse_timestamp("2023-02-01T12:00:00Z");
  auto q = clickhouse_extract_queries("github_events", from, to, "");
  EXPECT_NE(q.stars.find("created_at >= toDateTime('2023-01-10 00:00:00', 'UTC')"), std::string::npos) << q.stars;
  EXPECT_NE(q.stars.find("created_at < toDateTime('2023-02-01 12:00:00', 'UTC')"), std::string::npos) << q.stars;
  EXPECT_NE(q.activity.find("created_at < toDateTime('2023-02-01 12:00:00', 'UTC')"), std::string::npos);
  EXPECT_NE(q.activity.find("0 AS distinct_orgs"), std::string::npos);
  EXPECT_EQ(q.stars.find(';'), std::string::npos);  // one statement each, for HTTP

  auto all = clickhouse_extract_queries("db.t", std::nullopt, std::nullopt, "org_login");
  EXPECT_EQ(all.stars.find("toDateTime"), std::string::npos) << all.stars;
  EXPECT_NE(all.stars.find("FROM db.t"), std::string::npos);
  EXPECT_NE(all.activity.find("least(uniqExactIf(org_login, org_login != ''), 2) AS distinct_orgs"), std::string::npos)
      << all.activity;
  // 18.16 substitutes select aliases into WHERE: the string alias must not be named created_at
  // where created_at is also filtered.
  EXPECT_EQ(all.stars.find("toString(created_at, 'UTC') AS created_at"), std::string::npos);
}

TEST(ClickHouseLoader, RowsAreEscapedTabSeparated) {
  std::string out;
  append_github_events_row(out, "WatchEvent", "started", "a\tb\\c", "o/r\nx", 1672531200, "");
  EXPECT_EQ(out, "WatchEvent\ta\\tb\\\\c\to/r\\nx\t1672531200\tstarted\t\n");
  const std::string ddl = github_events_table_ddl("github_events");
  EXPECT_NE(ddl.find("'WatchEvent' = 15"), std::string::npos);
  EXPECT_NE(ddl.find("'started' = 15"), std::string::npos);
  EXPECT_NE(ddl.find("org_login String"), std::string::npos);
}

}  // namespace
}  // namespace hubguard::stars
