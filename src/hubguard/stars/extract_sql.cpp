#include "hubguard/stars/extract_sql.hpp"

#include <algorithm>
#include <cstdio>

#include "hubguard/stars/timestamp.hpp"


namespace hubguard::stars {
namespace {

struct Month {
  int year = 0;
  int month = 0;
};

bool parse_month(std::string_view s, Month& m) {
  if (s.size() != 7 || s[4] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
    if (s[i] < '0' || s[i] > '9') return false;
  m.year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  m.month = (s[5] - '0') * 10 + (s[6] - '0');
  return m.month >= 1 && m.month <= 12 && m.year >= 2011;
}

std::string fmt(const char* pattern, int a, int b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, pattern, a, b);
  return buf;
}

std::string bigquery(const std::string& table, Month f, Month t) {
  // `githubarchive.month.YYYYMM` tables; the wildcard plus _TABLE_SUFFIX prunes to the window's
  // months so BigQuery scans (and bills) only those. The last month before `to`:
  Month last = t;
  if (--last.month == 0) {
    last.month = 12;
    --last.year;
  }
  const std::string lo = fmt("%04d%02d", f.year, f.month), hi = fmt("%04d%02d", last.year, last.month);
  const std::string from_ts = fmt("%04d-%02d-01 00:00:00", f.year, f.month);
  const std::string to_ts = fmt("%04d-%02d-01 00:00:00", t.year, t.month);
  const std::string source = "`" + table + ".*`";
  const std::string where = "_TABLE_SUFFIX BETWEEN '" + lo + "' AND '" + hi + "'\n    AND created_at >= TIMESTAMP('" +
                            from_ts + "') AND created_at < TIMESTAMP('" + to_ts + "')";
  std::string sql;
  sql += "-- hubguard stars extract for BigQuery: window [" + from_ts + ", " + to_ts + ") UTC.\n";
  sql += "-- Run each statement and save its result as CSV with a header row, in one directory.\n\n";
  sql += "-- 1/2: stars.csv (actor,repo,created_at)\n";
  sql += "SELECT actor.login AS actor, repo.name AS repo,\n"
         "       FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%SZ', created_at) AS created_at\n"
         "FROM " + source + "\n"
         "WHERE " + where + "\n"
         "  AND type = 'WatchEvent' AND JSON_EXTRACT_SCALAR(payload, '$.action') = 'started';\n\n";
  sql += "-- 2/2: activity.csv (actor,first_time,last_time,events,distinct_times,distinct_repos,distinct_orgs)\n"
         "-- every event of every account that starred in the window; distinct counts are capped\n"
         "-- where the low-activity rule stops caring (3 timestamps, 2 repositories, 2 orgs).\n";
  sql += "WITH events AS (\n"
         "  SELECT actor.login AS actor, repo.name AS repo, org.login AS org, created_at, type,\n"
         "         IF(type = 'WatchEvent', JSON_EXTRACT_SCALAR(payload, '$.action'), NULL) AS action\n"
         "  FROM " + source + "\n"
         "  WHERE " + where + "\n"
         "),\n"
         "stargazers AS (\n"
         "  SELECT DISTINCT actor FROM events WHERE type = 'WatchEvent' AND action = 'started'\n"
         ")\n"
         "SELECT e.actor,\n"
         "       FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%SZ', MIN(e.created_at)) AS first_time,\n"
         "       FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%SZ', MAX(e.created_at)) AS last_time,\n"
         "       COUNT(*) AS events,\n"
         "       LEAST(COUNT(DISTINCT e.created_at), 3) AS distinct_times,\n"
         "       LEAST(COUNT(DISTINCT e.repo), 2) AS distinct_repos,\n"
         "       LEAST(COUNT(DISTINCT e.org), 2) AS distinct_orgs\n"
         "FROM events e JOIN stargazers s ON e.actor = s.actor\n"
         "GROUP BY e.actor;\n";
  return sql;
}

// "YYYY-MM-DD HH:MM:SS" for toDateTime(..., 'UTC').
std::string clickhouse_time(std::int64_t t) {
  std::string s = format_iso8601_utc(t);  // "2019-07-01T00:00:00Z"
  if (s.size() == 20) {
    s[10] = ' ';
    s.pop_back();
  }
  return s;
}

std::string clickhouse(const std::string& table, Month f, Month t) {
  const std::string from_ts = fmt("%04d-%02d-01 00:00:00", f.year, f.month);
  const std::string to_ts = fmt("%04d-%02d-01 00:00:00", t.year, t.month);
  const auto from = parse_timestamp(from_ts), to = parse_timestamp(to_ts);
  const ClickHouseExtractQueries q = clickhouse_extract_queries(table, from, to, "");
  std::string sql;
  sql += "-- hubguard stars extract for ClickHouse (" + table + "): window [" + from_ts + ", " + to_ts + ") UTC.\n";
  sql += "-- Each statement writes CSV with a header row; save them as stars.csv and activity.csv.\n";
  sql += "-- (`hubguard stars detect --clickhouse URL` runs them itself, and uses an org_login column\n";
  sql += "-- when the table has one.)\n\n";
  sql += "-- 1/2: stars.csv\n" + q.stars + ";\n\n";
  sql += "-- 2/2: activity.csv (distinct_orgs is 0: github_events has no organisation column)\n" + q.activity + ";\n";
  return sql;
}

}  // namespace

// Table names are pasted into SQL: allow only what dataset/table names use.
bool is_safe_sql_identifier(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
      return false;
  return true;
}

ClickHouseExtractQueries clickhouse_extract_queries(const std::string& table, std::optional<std::int64_t> from,
                                                    std::optional<std::int64_t> to, const std::string& org_column) {
  // Written for old servers too (Debian's clickhouse-server 18.16.1; every function below was
  // run there): toString(DateTime, 'UTC'), toDateTime(String, 'UTC'), uniqExactIf, least,
  // count, IN (subquery), FORMAT CSVWithNames. DateTime holds 1970..2106, so bounds outside
  // that are no bound at all.
  constexpr std::int64_t kMaxDateTime = 4294967295;
  std::string window;
  if (from && *from > 0) window += " AND created_at >= toDateTime('" + clickhouse_time(*from) + "', 'UTC')";
  if (to && *to <= kMaxDateTime) window += " AND created_at < toDateTime('" + clickhouse_time(std::max<std::int64_t>(*to, 0)) + "', 'UTC')";
  const std::string star = "event_type = 'WatchEvent' AND action = 'started'";
  ClickHouseExtractQueries q;
  // The subquery renames created_at first: 18.16 substitutes a select alias everywhere, so
  // `toString(created_at, 'UTC') AS created_at` would turn the WHERE clause into a string
  // comparison (an error there).
  q.stars = "SELECT actor, repo, toString(time, 'UTC') AS created_at\n"
            "FROM (\n"
            "  SELECT actor_login AS actor, repo_name AS repo, created_at AS time\n"
            "  FROM " + table + "\n"
            "  WHERE " + star + window + "\n"
            ")\n"
            "FORMAT CSVWithNames";
  // Events without a repository or organisation have '' there: not a repository, not an org.
  const std::string orgs = org_column.empty()
                               ? std::string("0")
                               : "least(uniqExactIf(" + org_column + ", " + org_column + " != ''), 2)";
  q.activity = "SELECT actor_login AS actor,\n"
               "       toString(min(created_at), 'UTC') AS first_time,\n"
               "       toString(max(created_at), 'UTC') AS last_time,\n"
               "       count() AS events,\n"
               "       least(uniqExact(created_at), 3) AS distinct_times,\n"
               "       least(uniqExactIf(repo_name, repo_name != ''), 2) AS distinct_repos,\n"
               "       " + orgs + " AS distinct_orgs\n"
               "FROM " + table + "\n"
               "WHERE actor_login IN (\n"
               "    SELECT actor_login FROM " + table + "\n"
               "    WHERE " + star + window + ")" + window + "\n"
               "GROUP BY actor_login\n"
               "FORMAT CSVWithNames";
  return q;
}

Result<std::string> extract_sql(const ExtractSqlOptions& o) {
  Month f, t;
  if (!parse_month(o.from_month, f)) return make_error("--from must be YYYY-MM (2011 or later), got '" + o.from_month + "'");
  if (!parse_month(o.to_month, t)) return make_error("--to must be YYYY-MM (2011 or later), got '" + o.to_month + "'");
  if (t.year * 12 + t.month <= f.year * 12 + f.month)
    return make_error("--to must be after --from (the window is [from, to), to excluded)");
  const bool bq = o.engine == SqlEngine::kBigQuery;
  const std::string table = o.table.empty() ? (bq ? "githubarchive.month" : "github_events") : o.table;
  if (!is_safe_sql_identifier(table)) return make_error("--table may contain only letters, digits, '_', '.', '-'");
  return bq ? bigquery(table, f, t) : clickhouse(table, f, t);
}

}  // namespace hubguard::stars
