#include "cli/stars_detect_options.hpp"

#include <cstdio>
#include <filesystem>

#include "hubguard/stars/clickhouse_source.hpp"
#include "hubguard/stars/detection_input_builder.hpp"
#include "hubguard/stars/event_store.hpp"
#include "hubguard/stars/extract_reader.hpp"
#include "hubguard/stars/generator.hpp"
#include "hubguard/stars/timestamp.hpp"

namespace hubguard::cli {

namespace fs = std::filesystem;
using namespace hubguard::stars;

Result<DetectionInput> load_detect_input(const DetectArgs& a) {
  if (a.synthetic_scale > 0) {
    return generate_detection_input(generator_params_for_scale(a.synthetic_scale, a.seed)).input;
  }
  if (a.paths.empty() && a.clickhouse.empty())
    return make_error("no input: give PATH..., --clickhouse URL or --synthetic SCALE");
  if (!a.paths.empty() && !a.clickhouse.empty())
    return make_error("give either PATH... or --clickhouse URL, not both");
  TimeWindow window;
  if (!a.from.empty()) {
    auto t = parse_window_bound(a.from);
    if (!t) return make_error("bad --from: " + a.from);
    window.from = *t;
  }
  if (!a.to.empty()) {
    auto t = parse_window_bound(a.to);
    if (!t) return make_error("bad --to: " + a.to);
    window.to = *t;
  }
  if (!a.clickhouse.empty()) {
    ClickHouseExtractOptions o;
    o.table = a.clickhouse_table;
    o.keep_dir = a.keep_extract;
    return detection_input_from_clickhouse(ClickHouseServer{a.clickhouse}, window, o);
  }
  if (a.paths.size() == 1 && is_event_store(a.paths[0]))
    return detection_input_from_store(a.paths[0], window);
  if (a.paths.size() == 1 && is_extract_dir(a.paths[0])) {
    // An extract is already reduced to the window its SQL selected.
    if (!a.from.empty() || !a.to.empty())
      return make_error("--from/--to do not apply to an extract");
    return detection_input_from_extract(a.paths[0]);
  }
  for (const auto& p : a.paths)
    if (is_event_store(p) || is_extract_dir(p))
      return make_error(p + " is an event store or an extract: give it as the only PATH");
  ReadOptions options;
  if (a.threads) options.threads = a.threads;
  std::vector<fs::path> paths(a.paths.begin(), a.paths.end());
  ReadResult stats;
  auto input = detection_input_from_archives(paths, options, window, &stats);
  if (input && (stats.total.malformed || stats.total.truncated || stats.total.unknown_shape))
    std::fprintf(stderr,
                 "hubguard: warning: input had %llu malformed lines, %llu truncated files, %llu "
                 "events of unknown shape "
                 "(see `hubguard stars ingest` for a per-file report)\n",
                 static_cast<unsigned long long>(stats.total.malformed),
                 static_cast<unsigned long long>(stats.total.truncated),
                 static_cast<unsigned long long>(stats.total.unknown_shape));
  return input;
}

DetectParams detect_params(const DetectArgs& a) {
  DetectParams p = a.params;
  p.copycatch.delta_t = static_cast<std::int64_t>(a.delta_t_days * 86400.0);
  p.copycatch.threads = a.threads;
  p.false_positives.enabled = !a.reference;
  p.false_positives.min_span = static_cast<std::int64_t>(a.established_span_days * 86400.0);
  p.false_positives.bin = static_cast<std::int64_t>(a.tail_window_days * 86400.0);
  return p;
}

void add_detect_options(CLI::App& cmd_ref, DetectArgs& a) {
  CLI::App* cmd = &cmd_ref;
  cmd->add_option("--from", a.from,
                  "Window start (YYYY, YYYY-MM, YYYY-MM-DD or a timestamp), inclusive");
  cmd->add_option("--to", a.to, "Window end, exclusive");
  cmd->add_option("--clickhouse", a.clickhouse,
                  "Read from a ClickHouse server's github_events-shaped table over HTTP (e.g. "
                  "http://127.0.0.1:8123)");
  cmd->add_option("--clickhouse-table", a.clickhouse_table,
                  "Table for --clickhouse (or database.table)")
      ->capture_default_str();
  cmd->add_option("--keep-extract", a.keep_extract,
                  "With --clickhouse: keep the server's answers as an extract directory "
                  "(stars.csv, activity.csv)");
  cmd->add_option("--threads", a.threads, "Worker threads (0 = all cores)")
      ->capture_default_str();
  cmd->add_option(
      "--synthetic", a.synthetic_scale,
      "Detect on the synthetic archive of this scale, generated in memory (1 = ~100k stars)");
  cmd->add_option("--seed", a.seed, "Seed for --synthetic")->capture_default_str();

  auto& la = a.params.low_activity;
  cmd->add_option("--low-activity-min-stargazers", la.min_stargazers,
                  "Distinct low-activity stargazers that flag a repository")
      ->capture_default_str();
  cmd->add_option("--low-activity-max-days", la.max_days,
                  "A low-activity account is active on at most this many days")
      ->capture_default_str();
  cmd->add_option("--low-activity-max-timestamps", la.max_timestamps,
                  "... with at most this many event timestamps")
      ->capture_default_str();
  cmd->add_option("--low-activity-max-repos", la.max_repos, "... on at most this many repositories")
      ->capture_default_str();
  cmd->add_option("--low-activity-max-orgs", la.max_orgs, "... and this many organisations")
      ->capture_default_str();

  auto& cc = a.params.copycatch;
  cmd->add_option("--delta-t-days", a.delta_t_days,
                  "CopyCatch: time window around each centre (days)")
      ->check(CLI::Range(0.0, 3650.0))
      ->capture_default_str();
  cmd->add_option("--n", cc.n, "CopyCatch: minimum users per cluster")->capture_default_str();
  cmd->add_option("--m", cc.m, "CopyCatch: repositories per cluster")->capture_default_str();
  cmd->add_option("--rho", cc.rho,
                  "CopyCatch: share of the cluster's repositories each user starred")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--min-seed-stars", cc.min_seed_stars,
                  "CopyCatch: stars in the chunk that make a repository a seed")
      ->capture_default_str();
  cmd->add_option("--iterations", cc.max_iterations, "CopyCatch: maximum iterations per seed")
      ->capture_default_str();
  cmd->add_option("--relaxed-m-factor", cc.relaxed_m_factor,
                  "CopyCatch: candidate centres kept = this x m")
      ->capture_default_str();
  cmd->add_option("--min-repos-with-stars", cc.min_repos_with_stars,
                  "Keep clusters with at least this many repositories ...")
      ->capture_default_str();
  cmd->add_option("--min-stars-per-repo", cc.min_stars_per_repo,
                  "... each starred by this many of its users")
      ->capture_default_str();
  cmd->add_option("--chunk-months", cc.chunk_months, "CopyCatch time chunk length (months)")
      ->check(CLI::Range(1u, 768u))
      ->capture_default_str();
  cmd->add_option("--chunk-step-months", cc.chunk_step_months, "CopyCatch chunk step (months)")
      ->check(CLI::Range(1u, 768u))
      ->capture_default_str();
  cmd->add_flag(
      "--extend-clusters", cc.extend_repos,
      "Beyond the reference: also label a cluster's lockstep repositories past the first m");

  auto& cp = a.params.campaigns;
  cmd->add_option("--campaign-min-month-fake", cp.min_month_fake,
                  "Anomalous month: at least this many fake stars ...")
      ->capture_default_str();
  cmd->add_option("--campaign-min-month-share", cp.min_month_share,
                  "... and at least this share of the month's stars")
      ->capture_default_str();
  cmd->add_option("--campaign-min-share", cp.min_repo_share,
                  "Campaign: at least this share of all stars fake")
      ->capture_default_str();

  auto& fp = a.params.false_positives;
  cmd->add_flag("--reference", a.reference,
                "Reference labels only: no false-positive screen (everything labelled goes to "
                "fake_stars.csv)");
  cmd->add_option("--established-min-events", fp.min_other_events,
                  "Screen: an established account has at least this many non-star events ...")
      ->capture_default_str();
  cmd->add_option("--established-min-span-days", a.established_span_days,
                  "... over at least this many days")
      ->capture_default_str();
  cmd->add_option("--community-min-established", fp.community_min_established,
                  "Screen: a cluster with this share of established users is a community")
      ->capture_default_str();
  cmd->add_option("--tail-window-days", a.tail_window_days,
                  "Screen: window around a low-activity star to tell a burst from an organic tail")
      ->capture_default_str();
  cmd->add_option("--tail-min-share", fp.min_bin_share,
                  "Screen: a burst is at least this share of the window's stars ...")
      ->capture_default_str();
  cmd->add_option("--tail-min-stars", fp.min_bin_low,
                  "... and at least this many low-activity stars")
      ->capture_default_str();
}

}  // namespace hubguard::cli
