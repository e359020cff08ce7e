#include "hubguard/stars/clickhouse_loader.hpp"

#include <array>

#include "hubguard/stars/extract_sql.hpp"

namespace hubguard::stars {
namespace {

// github_events' event_type Enum8 (names and codes as in the public table). Types it lacks
// (PullRequestReviewThreadEvent, DiscussionEvent, unknown ones) go in as its generic 'Event':
// for detection they are events of their actor like any other.
constexpr std::array<std::pair<std::string_view, int>, 22> kEventTypes{{
    {"CommitCommentEvent", 1}, {"CreateEvent", 2},  {"DeleteEvent", 3},   {"ForkEvent", 4},
    {"GollumEvent", 5},        {"IssueCommentEvent", 6}, {"IssuesEvent", 7}, {"MemberEvent", 8},
    {"PublicEvent", 9},        {"PullRequestEvent", 10}, {"PullRequestReviewCommentEvent", 11},
    {"PushEvent", 12},         {"ReleaseEvent", 13}, {"SponsorshipEvent", 14}, {"WatchEvent", 15},
    {"GistEvent", 16},         {"FollowEvent", 17},  {"DownloadEvent", 18}, {"PullRequestReviewEvent", 19},
    {"ForkApplyEvent", 20},    {"Event", 21},        {"TeamAddEvent", 22},
}};

std::string_view table_type(EventKind kind) {
  const std::string_view name = event_kind_name(kind);
  for (const auto& [type, code] : kEventTypes)
    if (type == name) return type;
  return "Event";
}

void append_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\0': out += "\\0"; break;
      default: out.push_back(c);
    }
  }
}

}  // namespace

std::string github_events_table_ddl(const std::string& table) {
  std::string types;
  for (const auto& [type, code] : kEventTypes) {
    if (!types.empty()) types += ", ";
    types += "'" + std::string(type) + "' = " + std::to_string(code);
  }
  // action: the two values the loader writes, with the public table's codes.
  return "CREATE TABLE IF NOT EXISTS " + table +
         " (\n"
         "  event_type Enum8(" + types + "),\n"
         "  actor_login String,\n"
         "  repo_name String,\n"
         "  created_at DateTime,\n"
         "  action Enum8('none' = 0, 'started' = 15),\n"
         "  org_login String\n"
         ") ENGINE = MergeTree ORDER BY (event_type, repo_name, created_at)";
}

void append_github_events_row(std::string& out, std::string_view type, std::string_view action,
                              std::string_view actor, std::string_view repo, std::int64_t time, std::string_view org) {
  append_escaped(out, type);
  out.push_back('\t');
  append_escaped(out, actor);
  out.push_back('\t');
  append_escaped(out, repo);
  out.push_back('\t');
  out += std::to_string(time);  // 18.16 reads a DateTime given as epoch seconds: no time zone involved
  out.push_back('\t');
  append_escaped(out, action);
  out.push_back('\t');
  append_escaped(out, org);
  out.push_back('\n');
}

Result<ClickHouseLoadStats> load_archives_into_clickhouse(const ClickHouseServer& server,
                                                          const std::vector<std::filesystem::path>& files,
                                                          const ClickHouseLoadOptions& options) {
  if (!is_safe_sql_identifier(options.table))
    return make_error("--table may contain only letters, digits, '_', '.', '-'");
  if (options.create_table)
    if (auto r = clickhouse_insert(server, github_events_table_ddl(options.table), {}); !r) return r.error();
  const std::string insert =
      "INSERT INTO " + options.table + " (event_type, actor_login, repo_name, created_at, action, org_login) FORMAT TabSeparated";
  ClickHouseLoadStats stats;
  std::string batch;
  auto flush = [&]() -> Result<bool> {
    if (batch.empty()) return true;
    if (auto r = clickhouse_insert(server, insert, batch); !r) return r.error();
    ++stats.inserts;
    batch.clear();
    return true;
  };
  // One file at a time keeps memory to one hour's events plus one batch.
  for (const auto& file : files) {
    const ParsedFile parsed = read_archive_file(file, options.read);
    stats.total.add(parsed.stats);
    const EventTable& t = parsed.table;
    for (const Event& e : t.events) {
      if (e.time < 0 || e.time > 4294967295) {
        ++stats.skipped;
        continue;
      }
      const bool star = e.kind == EventKind::kStar;
      append_github_events_row(batch, table_type(e.kind), star ? "started" : "none", t.actors.name(e.actor),
                               e.repo == kNoId ? std::string_view() : std::string_view(t.repos.name(e.repo)), e.time,
                               e.org == kNoId ? std::string_view() : std::string_view(t.orgs.name(e.org)));
      ++stats.rows;
    }
    if (batch.size() >= options.batch_bytes)
      if (auto r = flush(); !r) return r.error();
  }
  if (auto r = flush(); !r) return r.error();
  return stats;
}

}  // namespace hubguard::stars
