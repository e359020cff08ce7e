#include "hubguard/stars/clickhouse_source.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <optional>
#include <vector>

#include "hubguard/stars/extract_reader.hpp"
#include "hubguard/stars/extract_sql.hpp"

namespace hubguard::stars {
namespace {

namespace fs = std::filesystem;

constexpr const char* kOrgColumn = "org_login";

// Removes a private temporary directory however the read ends.
struct TempDir {
  fs::path path;
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

Result<fs::path> make_private_dir() {
  static std::atomic<unsigned> counter{0};
  std::error_code ec;
  const fs::path base = fs::temp_directory_path(ec);
  if (ec) return make_error("no temporary directory: " + ec.message());
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path p = base / ("hubguard-clickhouse-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    if (fs::create_directory(p, ec)) {
      fs::permissions(p, fs::perms::owner_all, fs::perm_options::replace, ec);
      return p;
    }
  }
  return make_error("cannot create a temporary directory under " + base.string());
}

}  // namespace

Result<std::string> clickhouse_org_column(const ClickHouseServer& server, const std::string& table) {
  if (!is_safe_sql_identifier(table))
    return make_error("--clickhouse-table may contain only letters, digits, '_', '.', '-'");
  // DESCRIBE works on every version and accepts database.table; TabSeparated: name, type, ...
  auto desc = clickhouse_query_text(server, "DESCRIBE TABLE " + table + " FORMAT TabSeparated");
  if (!desc) return desc.error();
  std::vector<std::string> names;
  std::size_t pos = 0;
  while (pos < desc->size()) {
    std::size_t end = desc->find('\n', pos);
    if (end == std::string::npos) end = desc->size();
    const std::string line = desc->substr(pos, end - pos);
    names.push_back(line.substr(0, line.find('\t')));
    pos = end + 1;
  }
  auto has = [&](std::string_view n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  for (const char* need : {"event_type", "actor_login", "repo_name", "created_at", "action"})
    if (!has(need)) return make_error("ClickHouse table " + table + " has no column '" + need + "' (github_events shape)");
  return std::string(has(kOrgColumn) ? kOrgColumn : "");
}

Result<DetectionInput> detection_input_from_clickhouse(const ClickHouseServer& server, const TimeWindow& window,
                                                       const ClickHouseExtractOptions& options) {
  auto org = clickhouse_org_column(server, options.table);
  if (!org) return org.error();
  std::optional<std::int64_t> from, to;
  if (window.from != std::numeric_limits<std::int64_t>::min()) from = window.from;
  if (window.to != std::numeric_limits<std::int64_t>::max()) to = window.to;
  const ClickHouseExtractQueries q = clickhouse_extract_queries(options.table, from, to, *org);

  TempDir temp;
  fs::path dir = options.keep_dir;
  if (dir.empty()) {
    auto made = make_private_dir();
    if (!made) return made.error();
    temp.path = dir = *made;
  } else {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return make_error(dir.string() + ": cannot create: " + ec.message());
  }
  if (auto r = clickhouse_query_to_file(server, q.stars, dir / "stars.csv"); !r) return r.error();
  if (auto r = clickhouse_query_to_file(server, q.activity, dir / "activity.csv"); !r) return r.error();
  return detection_input_from_extract(dir);
}

}  // namespace hubguard::stars
