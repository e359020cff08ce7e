#include "hubguard/stars/detect_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>

#include "hubguard/stars/timestamp.hpp"
#include "hubguard/stars/utc_calendar.hpp"

namespace hubguard::stars {

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

Result<File> open_for_write(const std::filesystem::path& path) {
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) return make_error("cannot write " + path.string());
  return f;
}

// Logins and repository names never contain commas or quotes on GitHub, but extracts are
// input we do not control: quote whatever would break a CSV row.
std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::vector<std::size_t> ordered_stars(const DetectionInput& in,
                                       const std::vector<std::size_t>& idx) {
  std::vector<std::size_t> out = idx;
  std::sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
    const Star &x = in.stars[a], &y = in.stars[b];
    if (x.time != y.time) return x.time < y.time;
    const auto& xa = in.actors.name(x.actor);
    const auto& ya = in.actors.name(y.actor);
    if (xa != ya) return xa < ya;
    return in.repos.name(x.repo) < in.repos.name(y.repo);
  });
  return out;
}

bool close_ok(File& f) {
  std::FILE* raw = f.release();
  const bool err = std::ferror(raw) != 0;
  return std::fclose(raw) == 0 && !err;
}

Result<std::size_t> write_campaigns(std::FILE* f, const DetectionInput& in,
                                    const std::vector<Campaign>& campaigns) {
  fmt::print(f, "repo,fake_stars,total_stars,fake_share,anomalous_months,first_fake,last_fake\n");
  std::vector<const Campaign*> rows;
  for (const Campaign& c : campaigns) rows.push_back(&c);
  std::sort(rows.begin(), rows.end(), [&](const Campaign* a, const Campaign* b) {
    return in.repos.name(a->repo) < in.repos.name(b->repo);
  });
  for (const Campaign* c : rows) {
    std::string months;
    for (auto m : c->anomalous_months) months += (months.empty() ? "" : ";") + format_month(m);
    fmt::print(f, "{},{},{},{:.4f},{},{},{}\n", csv_field(in.repos.name(c->repo)), c->fake_stars,
               c->total_stars, c->fake_share, months, format_iso8601_utc(c->first_fake),
               format_iso8601_utc(c->last_fake));
  }
  return rows.size();
}

}  // namespace

Result<DetectOutputCounts> write_detect_output(const std::filesystem::path& dir,
                                               const DetectionInput& in, const DetectResult& r) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("cannot create " + dir.string() + ": " + ec.message());
  DetectOutputCounts counts;

  std::vector<std::size_t> fake, suspect;
  for (std::size_t i = 0; i < in.stars.size(); ++i) {
    if (r.confident[i])
      fake.push_back(i);
    else if (r.signature[i])
      suspect.push_back(i);
  }
  {
    auto f = open_for_write(dir / "fake_stars.csv");
    if (!f) return f.error();
    fmt::print(f->get(), "actor,repo,created_at,signature\n");
    for (std::size_t i : ordered_stars(in, fake)) {
      const Star& s = in.stars[i];
      fmt::print(f->get(), "{},{},{},{}\n", csv_field(in.actors.name(s.actor)),
                 csv_field(in.repos.name(s.repo)), format_iso8601_utc(s.time),
                 signature_name(r.signature[i]));
    }
    if (!close_ok(*f)) return make_error("write failed: fake_stars.csv");
    counts.fake_stars = fake.size();
  }
  {
    auto f = open_for_write(dir / "suspected_false_positives.csv");
    if (!f) return f.error();
    fmt::print(f->get(), "actor,repo,created_at,signature,reason\n");
    for (std::size_t i : ordered_stars(in, suspect)) {
      const Star& s = in.stars[i];
      fmt::print(f->get(), "{},{},{},{},{}\n", csv_field(in.actors.name(s.actor)),
                 csv_field(in.repos.name(s.repo)), format_iso8601_utc(s.time),
                 signature_name(r.signature[i]), suspect_reason_name(r.false_positives.reason[i]));
    }
    if (!close_ok(*f)) return make_error("write failed: suspected_false_positives.csv");
    counts.suspected = suspect.size();
  }
  {
    auto f = open_for_write(dir / "campaigns.csv");
    if (!f) return f.error();
    auto w = write_campaigns(f->get(), in, r.campaigns);
    if (!w) return w.error();
    counts.campaigns = *w;
    if (!close_ok(*f)) return make_error("write failed: campaigns.csv");
  }
  {
    // The reference's own campaign list (labels before the false-positive screen), so the
    // screen's effect on campaigns can be measured from the output directory alone.
    auto f = open_for_write(dir / "reference_campaigns.csv");
    if (!f) return f.error();
    if (auto w = write_campaigns(f->get(), in, r.reference_campaigns); !w) return w.error();
    if (!close_ok(*f)) return make_error("write failed: reference_campaigns.csv");
  }
  {
    nlohmann::ordered_json clusters = nlohmann::ordered_json::array();
    const auto& cl = r.lockstep.clusters;
    for (std::size_t c = 0; c < cl.size(); ++c) {
      nlohmann::ordered_json j;
      j["chunk"] = {{"index", cl[c].chunk},
                    {"begin", format_iso8601_utc(cl[c].chunk_begin)},
                    {"end", format_iso8601_utc(cl[c].chunk_end)}};
      j["seed_repo"] = in.repos.name(cl[c].seed_repo);
      j["seeds"] = cl[c].seeds;
      j["iterations"] = cl[c].iterations;
      const auto& fp = r.false_positives;
      j["established_share"] =
          c < fp.cluster_established_share.size() ? fp.cluster_established_share[c] : 0.0;
      j["suspected_community"] = c < fp.cluster_community.size() && fp.cluster_community[c];
      auto repos = nlohmann::ordered_json::array();
      for (const ClusterRepo& cr : cl[c].repos) {
        const auto t = static_cast<std::int64_t>(cr.centre + 0.5);
        repos.push_back({{"repo", in.repos.name(cr.repo)},
                         {"centre", format_iso8601_utc(t)},
                         {"centre_unix", t},
                         {"cluster_stars", cr.cluster_stars},
                         {"marked", cr.marked},
                         {"extension", cr.extension}});
      }
      j["repos"] = std::move(repos);
      std::vector<std::string> users;
      for (auto u : cl[c].users) users.emplace_back(in.actors.name(u));
      std::sort(users.begin(), users.end());
      j["users"] = std::move(users);
      clusters.push_back(std::move(j));
    }
    auto f = open_for_write(dir / "clusters.json");
    if (!f) return f.error();
    const std::string text = clusters.dump(1) + "\n";
    std::fwrite(text.data(), 1, text.size(), f->get());
    if (!close_ok(*f)) return make_error("write failed: clusters.json");
    counts.clusters = cl.size();
  }
  {
    const auto& st = r.lockstep.stats;
    nlohmann::ordered_json j;
    j["stars"] = in.stars.size();
    j["actors"] = in.actors.size();
    j["repos"] = in.repos.size();
    j["low_activity_flagged_repos"] = r.low_activity.flagged_repos.size();
    j["fake_stars"] = counts.fake_stars;
    j["suspected_false_positives"] = counts.suspected;
    j["campaigns"] = counts.campaigns;
    j["reference_campaigns"] = r.reference_campaigns.size();
    j["copycatch"] = {{"chunks", st.chunks},
                      {"seeds", st.seeds},
                      {"candidate_groups", st.candidate_groups},
                      {"unique_groups", st.unique_groups},
                      {"clusters", st.clusters}};
    auto f = open_for_write(dir / "summary.json");
    if (!f) return f.error();
    const std::string text = j.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), f->get());
    if (!close_ok(*f)) return make_error("write failed: summary.json");
  }
  return counts;
}

}  // namespace hubguard::stars
