#include "hubguard/stars/detect_output_reader.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "hubguard/stars/csv_line.hpp"
#include "hubguard/stars/timestamp.hpp"
#include "hubguard/stars/utc_calendar.hpp"

namespace hubguard::stars {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxClustersJson = 1ull << 30;  // our own output, but still input

// Calls `row(fields, line_number)` for every record after the header; stops at its first error.
template <typename Row>
Result<bool> for_each_row(const fs::path& path, std::size_t min_fields, Row&& row) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read " + path.string());
  std::string line;
  std::vector<std::string> fields;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    if (++number == 1 || line.empty()) continue;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!split_csv_line(line, fields) || fields.size() < min_fields)
      return make_error(path.string() + ":" + std::to_string(number) + ": malformed row");
    if (auto r = row(fields); !r)
      return make_error(path.string() + ":" + std::to_string(number) + ": " + r.error().message);
  }
  return true;
}

std::optional<std::uint8_t> parse_signature(std::string_view s) {
  if (s == "low_activity") return kSignatureLowActivity;
  if (s == "lockstep") return kSignatureLockstep;
  if (s == "both") return static_cast<std::uint8_t>(kSignatureLowActivity | kSignatureLockstep);
  return std::nullopt;
}

// Position of the star (actor, repo, time) in input.stars (sorted by time, actor, repo).
Result<std::size_t> find_star(const DetectionInput& in, const std::string& actor,
                              const std::string& repo, const std::string& time) {
  const std::uint32_t a = in.actors.find(actor);
  const std::uint32_t r = in.repos.find(repo);
  const auto t = parse_timestamp(time);
  if (a == kNoId || r == kNoId || !t) return make_error("no such star in the input: " + actor + " " + repo + " " + time);
  const Star key{a, r, *t};
  const auto it = std::lower_bound(in.stars.begin(), in.stars.end(), key, [](const Star& x, const Star& y) {
    if (x.time != y.time) return x.time < y.time;
    if (x.actor != y.actor) return x.actor < y.actor;
    return x.repo < y.repo;
  });
  if (it == in.stars.end() || it->time != *t || it->actor != a || it->repo != r)
    return make_error("no such star in the input: " + actor + " " + repo + " " + time);
  return static_cast<std::size_t>(it - in.stars.begin());
}

Result<std::vector<Campaign>> read_campaigns(const fs::path& path, const DetectionInput& in) {
  std::vector<Campaign> out;
  auto ok = for_each_row(path, 7, [&](const std::vector<std::string>& f) -> Result<bool> {
    Campaign c;
    c.repo = in.repos.find(f[0]);
    if (c.repo == kNoId) return make_error("no such repository in the input: " + f[0]);
    try {
      c.fake_stars = std::stoull(f[1]);
      c.total_stars = std::stoull(f[2]);
      c.fake_share = std::stod(f[3]);
    } catch (const std::exception&) {
      return make_error("bad number");
    }
    std::stringstream months(f[4]);
    for (std::string m; std::getline(months, m, ';');) {
      const auto t = parse_window_bound(m);
      if (!t) return make_error("bad month: " + m);
      c.anomalous_months.push_back(month_index(*t));
    }
    const auto first = parse_timestamp(f[5]), last = parse_timestamp(f[6]);
    if (!first || !last) return make_error("bad time");
    c.first_fake = *first;
    c.last_fake = *last;
    out.push_back(std::move(c));
    return true;
  });
  if (!ok) return ok.error();
  std::sort(out.begin(), out.end(), [](const Campaign& a, const Campaign& b) { return a.repo < b.repo; });
  return out;
}

Result<bool> read_clusters(const fs::path& path, const DetectionInput& in, DetectResult& r) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return make_error("cannot read " + path.string());
  if (size > kMaxClustersJson) return make_error(path.string() + ": larger than 1 GB");
  std::ifstream file(path, std::ios::binary);
  const auto j = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return make_error(path.string() + ": not a JSON array of clusters");
  auto id = [](const Dictionary& d, const nlohmann::json& name) -> std::uint32_t {
    return name.is_string() ? d.find(name.get<std::string>()) : kNoId;
  };
  for (std::size_t c = 0; c < j.size(); ++c) {
    const auto& x = j[c];
    const std::string where = path.string() + ": cluster " + std::to_string(c) + ": ";
    try {
      LockstepCluster cl;
      cl.chunk = x.at("chunk").at("index").get<std::uint32_t>();
      const auto begin = parse_timestamp(x.at("chunk").at("begin").get<std::string>());
      const auto end = parse_timestamp(x.at("chunk").at("end").get<std::string>());
      if (!begin || !end) return make_error(where + "bad chunk time");
      cl.chunk_begin = *begin;
      cl.chunk_end = *end;
      cl.seed_repo = id(in.repos, x.at("seed_repo"));
      cl.seeds = x.at("seeds").get<std::uint32_t>();
      cl.iterations = x.at("iterations").get<std::uint32_t>();
      for (const auto& cr : x.at("repos")) {
        ClusterRepo repo;
        repo.repo = id(in.repos, cr.at("repo"));
        if (repo.repo == kNoId) return make_error(where + "repository not in the input");
        repo.centre = static_cast<double>(cr.at("centre_unix").get<std::int64_t>());
        repo.cluster_stars = cr.at("cluster_stars").get<std::uint32_t>();
        repo.marked = cr.at("marked").get<bool>();
        repo.extension = cr.at("extension").get<bool>();
        cl.repos.push_back(repo);
      }
      for (const auto& u : x.at("users")) {
        const std::uint32_t a = id(in.actors, u);
        if (a == kNoId) return make_error(where + "account not in the input");
        cl.users.push_back(a);
      }
      std::sort(cl.users.begin(), cl.users.end());
      r.false_positives.cluster_established_share.push_back(x.at("established_share").get<double>());
      r.false_positives.cluster_community.push_back(x.at("suspected_community").get<bool>() ? 1 : 0);
      r.lockstep.clusters.push_back(std::move(cl));
    } catch (const nlohmann::json::exception& e) {
      return make_error(where + e.what());
    }
  }
  return true;
}

}  // namespace

Result<DetectResult> read_detect_output(const fs::path& dir, const DetectionInput& in) {
  DetectResult r;
  r.signature.assign(in.stars.size(), 0);
  r.confident.assign(in.stars.size(), 0);
  auto labels = [&](const char* name, bool confident) {
    return for_each_row(dir / name, 4, [&](const std::vector<std::string>& f) -> Result<bool> {
      const auto sig = parse_signature(f[3]);
      if (!sig) return make_error("bad signature: " + f[3]);
      auto star = find_star(in, f[0], f[1], f[2]);
      if (!star) return star.error();
      r.signature[*star] = *sig;
      r.confident[*star] = confident ? 1 : 0;
      return true;
    });
  };
  if (auto ok = labels("fake_stars.csv", true); !ok) return ok.error();
  if (auto ok = labels("suspected_false_positives.csv", false); !ok) return ok.error();
  auto campaigns = read_campaigns(dir / "campaigns.csv", in);
  if (!campaigns) return campaigns.error();
  r.campaigns = std::move(*campaigns);
  auto reference = read_campaigns(dir / "reference_campaigns.csv", in);
  if (!reference) return reference.error();
  r.reference_campaigns = std::move(*reference);
  if (auto ok = read_clusters(dir / "clusters.json", in, r); !ok) return ok.error();
  return r;
}

}  // namespace hubguard::stars
