// The synthetic archive as files: GH Archive hour files in the 2015+ event shape (gzip via
// libdeflate) and the ground truth as CSV. Events are kept in memory and sorted by time, which
// bounds this path to test and demo sizes; benchmarks use generate_detection_input().
#include <fmt/format.h>
#include <libdeflate.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <system_error>
#include <tuple>

#include "hubguard/stars/generator.hpp"
#include "hubguard/stars/generator_model.hpp"
#include "hubguard/stars/timestamp.hpp"
#include "hubguard/stars/utc_calendar.hpp"

namespace hubguard::stars {

namespace {

class Collector final : public EventSink {
 public:
  void on_event(const GenEvent& e) override { events.push_back(e); }
  std::vector<GenEvent> events;
};

std::string payload_for(const GenEvent& e, std::uint64_t serial) {
  switch (e.type) {
    case EventType::kWatch:
      return R"({"action":"started"})";
    case EventType::kPush:
      return fmt::format(
          R"({{"push_id":{},"size":1,"distinct_size":1,"ref":"refs/heads/main","commits":[]}})",
          serial);
    case EventType::kCreate:
      return R"({"ref":"main","ref_type":"branch","master_branch":"main","description":null,"pusher_type":"user"})";
    case EventType::kFork:
      return fmt::format(R"({{"forkee":{{"id":{}}}}})", 500000000 + serial);
    case EventType::kIssues:
      return R"({"action":"opened","issue":{"number":1}})";
    case EventType::kIssueComment:
      return fmt::format(R"({{"action":"created","issue":{{"number":1}},"comment":{{"id":{}}}}})",
                         serial);
    case EventType::kPullRequest:
      return R"({"action":"opened","number":1})";
  }
  return "{}";
}

Result<std::size_t> write_gzip(const std::filesystem::path& path, const std::string& text) {
  std::unique_ptr<libdeflate_compressor, void (*)(libdeflate_compressor*)> c(
      libdeflate_alloc_compressor(6), libdeflate_free_compressor);
  if (!c) return make_error("libdeflate: cannot allocate a compressor");
  std::string out(libdeflate_gzip_compress_bound(c.get(), text.size()), '\0');
  const std::size_t n =
      libdeflate_gzip_compress(c.get(), text.data(), text.size(), out.data(), out.size());
  if (n == 0) return make_error("libdeflate: compression failed for " + path.string());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return make_error("cannot write " + path.string());
  const bool ok = std::fwrite(out.data(), 1, n, f) == n;
  if (std::fclose(f) != 0 || !ok) return make_error("write failed: " + path.string());
  return n;
}

Result<bool> write_text(const std::filesystem::path& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return make_error("cannot write " + path.string());
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) return make_error("write failed: " + path.string());
  return true;
}

}  // namespace

Result<SyntheticFilesStats> write_synthetic_archive(const GeneratorParams& params,
                                                    const std::filesystem::path& dir) {
  std::error_code ec;
  const auto archive = dir / "archive", truth = dir / "truth";
  std::filesystem::create_directories(archive, ec);
  if (!ec) std::filesystem::create_directories(truth, ec);
  if (ec) return make_error("cannot create " + dir.string() + ": " + ec.message());

  SyntheticModel model;
  Collector sink;
  run_synthetic_model(params, model, sink);
  auto& ev = sink.events;
  std::stable_sort(ev.begin(), ev.end(),
                   [](const GenEvent& a, const GenEvent& b) { return a.time < b.time; });

  SyntheticFilesStats stats;
  stats.events = ev.size();
  std::string text;
  for (std::size_t i = 0; i < ev.size();) {
    const std::int64_t hour = ev[i].time / 3600;
    text.clear();
    std::size_t j = i;
    for (; j < ev.size() && ev[j].time / 3600 == hour; ++j) {
      const GenEvent& e = ev[j];
      const std::string_view login = model.actors.name(e.actor);
      std::string repo_name;
      std::uint64_t repo_id;
      std::uint32_t org = kNoId;
      if (e.own == kNotOwn) {
        repo_name = model.repos.name(e.repo);
        repo_id = 1000 + std::uint64_t{e.repo};
        org = model.repo_org[e.repo];
      } else {
        repo_name = fmt::format("{}/proj{}", login, e.own);
        repo_id = 100000000 + std::uint64_t{e.actor} * 8 + e.own;
      }
      text += fmt::format(
          R"({{"id":"{}","type":"{}","actor":{{"id":{},"login":"{}","display_login":"{}","gravatar_id":"","url":"https://api.github.com/users/{}","avatar_url":"https://avatars.githubusercontent.com/u/{}?"}},"repo":{{"id":{},"name":"{}","url":"https://api.github.com/repos/{}"}},"payload":{},"public":true,"created_at":"{}")",
          20000000000ull + j, event_type_name(e.type), e.actor + 1, login, login, login,
          e.actor + 1, repo_id, repo_name, repo_name, payload_for(e, j),
          format_iso8601_utc(e.time));
      if (org != kNoId) {
        const std::string_view o = model.orgs.name(org);
        text += fmt::format(
            R"(,"org":{{"id":{},"login":"{}","gravatar_id":"","url":"https://api.github.com/orgs/{}","avatar_url":"https://avatars.githubusercontent.com/u/{}?"}})",
            900000000 + org, o, o, 900000000 + org);
      }
      text += "}\n";
      if (e.type == EventType::kWatch) ++stats.stars;
    }
    const CivilDate d = civil_from_days(utc_day(hour * 3600));
    const auto name =
        fmt::format("{:04}-{:02}-{:02}-{}.json.gz", d.year, d.month, d.day,
                    static_cast<int>(hour * 3600 - utc_day(hour * 3600) * 86400) / 3600);
    auto n = write_gzip(archive / name, text);
    if (!n) return n.error();
    stats.compressed_bytes += *n;
    ++stats.hour_files;
    i = j;
  }

  // Truth, ordered by (time, login, repository) like detect's output.
  using Row = std::tuple<std::int64_t, std::string, std::string, StarKind>;
  std::vector<Row> fake, bait;
  std::map<std::uint32_t, std::uint64_t> fake_per_repo;
  for (const GenEvent& e : ev) {
    if (e.type != EventType::kWatch || e.kind == StarKind::kOrganic) continue;
    Row row{e.time, model.actors.name(e.actor), model.repos.name(e.repo), e.kind};
    if (is_planted_fake(e.kind)) {
      fake.push_back(std::move(row));
      ++fake_per_repo[e.repo];
    } else {
      bait.push_back(std::move(row));
    }
  }
  std::sort(fake.begin(), fake.end());
  std::sort(bait.begin(), bait.end());
  auto rows_text = [](const std::vector<Row>& rows) {
    std::string t = "actor,repo,created_at,kind\n";
    for (const auto& [time, actor, repo, kind] : rows)
      t +=
          fmt::format("{},{},{},{}\n", actor, repo, format_iso8601_utc(time), star_kind_name(kind));
    return t;
  };
  if (auto r = write_text(truth / "truth_fake_stars.csv", rows_text(fake)); !r) return r.error();
  if (auto r = write_text(truth / "truth_bait.csv", rows_text(bait)); !r) return r.error();
  std::vector<std::tuple<std::string, StarKind, std::uint64_t>> camp;
  for (auto [repo, kind] : model.campaigns)
    camp.emplace_back(model.repos.name(repo), kind, fake_per_repo[repo]);
  std::sort(camp.begin(), camp.end());
  std::string t = "repo,kind,fake_stars\n";
  for (const auto& [repo, kind, n] : camp)
    t += fmt::format("{},{},{}\n", repo, star_kind_name(kind), n);
  if (auto r = write_text(truth / "truth_campaigns.csv", t); !r) return r.error();
  return stats;
}

}  // namespace hubguard::stars
