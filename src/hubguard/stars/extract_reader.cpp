#include "hubguard/stars/extract_reader.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <numeric>
#include <unordered_map>

#include "hubguard/stars/csv_line.hpp"
#include "hubguard/stars/event_line_parser.hpp"
#include "hubguard/stars/timestamp.hpp"

namespace hubguard::stars {
namespace {

constexpr std::size_t kMaxLine = 1 << 16;

// Column positions of `wanted` in the header; error if one is missing.
Result<std::vector<std::size_t>> columns(const std::vector<std::string>& header,
                                         std::initializer_list<std::string_view> wanted, const std::string& where) {
  std::vector<std::size_t> out;
  for (auto name : wanted) {
    auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) return make_error(where + ": header lacks column '" + std::string(name) + "'");
    out.push_back(static_cast<std::size_t>(it - header.begin()));
  }
  return out;
}

template <class Row>
Result<bool> read_csv(const std::filesystem::path& path, std::initializer_list<std::string_view> wanted, Row&& row) {
  const std::string file = path.filename().string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path.string() + ": cannot open");
  std::string line;
  std::vector<std::string> fields;
  if (!std::getline(in, line) || !split_csv_line(line, fields)) return make_error(file + ": missing header row");
  if (!fields.empty() && fields[0].rfind("\xEF\xBB\xBF", 0) == 0) fields[0].erase(0, 3);  // UTF-8 BOM
  auto cols = columns(fields, wanted, file);
  if (!cols) return cols.error();
  std::size_t need = 0;
  for (auto c : *cols) need = std::max(need, c + 1);
  std::vector<std::string_view> picked(cols->size());
  for (std::uint64_t lineno = 2; std::getline(in, line); ++lineno) {
    if (line.empty() || line == "\r") continue;
    const std::string where = file + ":" + std::to_string(lineno);
    if (line.size() > kMaxLine) return make_error(where + ": line too long");
    if (!split_csv_line(line, fields) || fields.size() < need) return make_error(where + ": malformed CSV row");
    for (std::size_t i = 0; i < cols->size(); ++i) picked[i] = fields[(*cols)[i]];
    if (auto r = row(picked, where); !r) return r.error();
  }
  return true;
}

bool to_u64(std::string_view s, std::uint64_t& v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

struct RawStar {
  std::uint32_t actor, repo;
  std::int64_t time;
};

}  // namespace

bool is_extract_dir(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path / "stars.csv", ec) &&
         std::filesystem::is_regular_file(path / "activity.csv", ec);
}

Result<DetectionInput> detection_input_from_extract(const std::filesystem::path& dir) {
  Dictionary actors, repos;  // first-seen order; renumbered by name below
  std::vector<RawStar> raw;
  auto stars_ok = read_csv(dir / "stars.csv", {"actor", "repo", "created_at"},
                           [&](const std::vector<std::string_view>& f, const std::string& where) -> Result<bool> {
                             if (f[0].empty() || f[1].empty() || f[0].size() > kMaxNameBytes ||
                                 f[1].size() > kMaxNameBytes)
                               return make_error(where + ": empty or oversized actor/repo");
                             auto t = parse_timestamp(f[2]);
                             if (!t) return make_error(where + ": bad created_at '" + std::string(f[2]) + "'");
                             raw.push_back(RawStar{actors.intern(f[0]), repos.intern(f[1]), *t});
                             return true;
                           });
  if (!stars_ok) return stars_ok.error();

  std::vector<ActorSummary> summary(actors.size());
  std::vector<bool> seen(actors.size(), false);
  auto activity_ok = read_csv(
      dir / "activity.csv",
      {"actor", "first_time", "last_time", "events", "distinct_times", "distinct_repos", "distinct_orgs"},
      [&](const std::vector<std::string_view>& f, const std::string& where) -> Result<bool> {
        const std::uint32_t id = actors.find(f[0]);
        if (id == kNoId) return true;  // not a stargazer in stars.csv
        auto first = parse_timestamp(f[1]);
        auto last = parse_timestamp(f[2]);
        std::uint64_t events = 0, times = 0, nrepos = 0, orgs = 0;
        if (!first || !last || !to_u64(f[3], events) || !to_u64(f[4], times) || !to_u64(f[5], nrepos) ||
            !to_u64(f[6], orgs))
          return make_error(where + ": malformed activity row");
        if (seen[id]) return make_error(where + ": second activity row for '" + std::string(f[0]) + "'");
        seen[id] = true;
        ActorSummary& s = summary[id];
        s.first_time = *first;
        s.last_time = *last;
        s.events = static_cast<std::uint32_t>(std::min<std::uint64_t>(events, 0xFFFFFFFFu));
        s.distinct_times = static_cast<std::uint8_t>(std::min<std::uint64_t>(times, 3));
        s.distinct_repos = static_cast<std::uint8_t>(std::min<std::uint64_t>(nrepos, 2));
        s.distinct_orgs = static_cast<std::uint8_t>(std::min<std::uint64_t>(orgs, 2));
        return true;
      });
  if (!activity_ok) return activity_ok.error();
  for (std::uint32_t i = 0; i < seen.size(); ++i)
    if (!seen[i]) return make_error("activity.csv: no row for stargazer '" + std::string(actors.name(i)) + "'");

  // Renumber by name, as every other source does.
  auto ranks = [](const Dictionary& d, Dictionary& sorted) {
    std::vector<std::uint32_t> order(d.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return d.name(a) < d.name(b); });
    std::vector<std::uint32_t> rank(d.size());
    for (std::uint32_t r = 0; r < order.size(); ++r) {
      rank[order[r]] = r;
      sorted.intern(d.name(order[r]));
    }
    return rank;
  };
  DetectionInput input;
  const auto actor_rank = ranks(actors, input.actors);
  const auto repo_rank = ranks(repos, input.repos);
  input.stars.reserve(raw.size());
  for (const RawStar& s : raw) input.stars.push_back(Star{actor_rank[s.actor], repo_rank[s.repo], s.time});
  std::sort(input.stars.begin(), input.stars.end(), [](const Star& a, const Star& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.actor != b.actor) return a.actor < b.actor;
    return a.repo < b.repo;
  });
  input.activity.resize(summary.size());
  for (std::size_t i = 0; i < summary.size(); ++i) input.activity[actor_rank[i]] = summary[i];
  return input;
}

}  // namespace hubguard::stars
