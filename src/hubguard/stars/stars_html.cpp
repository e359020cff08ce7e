#include "hubguard/stars/stars_html.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <system_error>
#include <unordered_set>

#include "hubguard/report/html_escape.hpp"
#include "hubguard/report/html_page.hpp"
#include "hubguard/report/html_svg.hpp"
#include "hubguard/stars/repo_verdict_text.hpp"
#include "hubguard/stars/timestamp.hpp"
#include "hubguard/stars/utc_calendar.hpp"

namespace hubguard::stars {
namespace {

using report::html_escape;

const std::vector<report::SvgSeries>& timeline_series() {
  static const std::vector<report::SvgSeries> series = {
      {"fake (confident labels)", "#d4351c"},
      {"cleared by the false-positive screen", "#f0b400"},
      {"organic", "#6c8ebf"}};
  return series;
}

std::string day_text(std::int64_t t) { return format_iso8601_utc(t).substr(0, 10); }

// Axis ticks between two days: month starts (thinned to at most ~14 labels), or for a range
// of under ~3 months, days ("MM-DD"), so a lockstep burst of a few days still gets labels.
std::vector<report::SvgTick> time_ticks(std::int64_t first_day, std::int64_t last_day) {
  std::vector<report::SvgTick> ticks;
  const std::int64_t span = last_day - first_day + 1;
  if (span <= 90) {
    const std::int64_t step = std::max<std::int64_t>(1, (span + 11) / 12);
    for (std::int64_t d = first_day; d <= last_day; d += step)
      ticks.push_back({static_cast<double>(d), format_iso8601_utc(d * 86400).substr(5, 5)});
    return ticks;
  }
  const std::int64_t m0 = month_index(first_day * 86400), m1 = month_index(last_day * 86400);
  const std::int64_t step = std::max<std::int64_t>(1, (m1 - m0 + 1 + 13) / 14);
  for (std::int64_t m = m0; m <= m1 + 1; ++m) {
    if ((m - m0) % step) continue;
    const double day = static_cast<double>(utc_day(month_start(m)));
    if (day < static_cast<double>(first_day) || day > static_cast<double>(last_day + 1)) continue;
    ticks.push_back({day, format_month(m)});
  }
  return ticks;
}

void write_timeline(std::ostream& out, const RepoStarEvidence& e) {
  if (e.days.empty()) return;
  const std::int64_t first = e.days.front().key, last = e.days.back().key;
  const std::int64_t span = last - first + 1;
  const std::int64_t bin = span <= 400 ? 1 : span <= 2800 ? 7 : 30;
  std::vector<report::SvgBar> bars;
  for (const auto& d : e.days) {
    const std::int64_t b0 = first + (d.key - first) / bin * bin;
    if (bars.empty() || bars.back().x0 != static_cast<double>(b0))
      bars.push_back({static_cast<double>(b0), static_cast<double>(b0 + bin), {0, 0, 0}, {}});
    auto& bar = bars.back();
    bar.parts[0] += d.fake;
    bar.parts[1] += d.suspected;
    bar.parts[2] += d.organic;
  }
  for (auto& bar : bars)
    bar.tooltip = fmt::format("{}{}: {} fake, {} cleared, {} organic",
                              bin == 1 ? "" : (bin == 7 ? "week of " : "30 days from "),
                              day_text(static_cast<std::int64_t>(bar.x0) * 86400), bar.parts[0],
                              bar.parts[1], bar.parts[2]);
  out << "<h2>Star timeline (stars per " << (bin == 1 ? "day" : bin == 7 ? "week" : "30 days")
      << ")</h2>\n"
      << report::svg_stacked_bars(bars, timeline_series(), static_cast<double>(first),
                                  static_cast<double>(last + 1), time_ticks(first, last),
                                  "stars per period, fake and organic stacked")
      << report::svg_legend(timeline_series());
}

void write_months(std::ostream& out, const RepoStarEvidence& e) {
  std::set<std::int64_t> anomalous;
  if (e.campaign) anomalous.insert(e.campaign->anomalous_months.begin(), e.campaign->anomalous_months.end());
  out << "<h2>Months</h2>\n<table class=\"sortable\" id=\"months-table\"><thead><tr><th>month</th>"
         "<th class=\"num\">stars</th><th class=\"num\">fake</th><th class=\"num\">cleared</th>"
         "<th class=\"num\">organic</th><th class=\"num\">fake share</th><th>anomalous</th>"
         "</tr></thead><tbody>\n";
  for (const auto& m : e.months) {
    const double share = m.total() ? static_cast<double>(m.fake) / m.total() : 0.0;
    out << fmt::format(
        "<tr data-filter=\"months\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.1f}%</td>"
        "<td>{}</td></tr>\n",
        format_month(m.key), m.total(), m.fake, m.suspected, m.organic, 100 * share,
        anomalous.count(m.key) ? "yes" : "");
  }
  out << "</tbody></table>\n";
}

void write_cluster(std::ostream& out, const ClusterEvidence& c) {
  out << fmt::format(
      "<section class=\"item\" id=\"cluster-{}\"><h3>Lockstep cluster #{}</h3>\n<div>{} accounts "
      "starred the same {} repositories within days of each other in the chunk {} .. {}; {} of "
      "them starred this repository. Established accounts: {:.0f}%{}.</div>\n",
      c.index, c.index, c.users, c.repos.size(), day_text(c.chunk_begin), day_text(c.chunk_end),
      c.this_repo_stars, 100 * c.established_share,
      c.community ? " (screened as a real community: its stars are not counted as fake)" : "");
  std::vector<std::string> colours;
  std::vector<report::SvgSeries> legend;
  for (std::size_t i = 0; i < c.repos.size(); ++i) {
    colours.push_back(report::palette_colour(i));
    legend.push_back({c.repos[i].name, colours.back()});
  }
  if (!c.points.empty()) {
    std::vector<report::SvgPoint> points;
    points.reserve(c.points.size());
    for (const auto& p : c.points)
      points.push_back({static_cast<double>(p.time) / 86400.0, p.row, p.repo});
    const std::int64_t d0 = utc_day(c.first), d1 = utc_day(c.last);
    out << "<div class=\"meta\">" << c.accounts.size() << " accounts (rows, by first star) × time; "
        << c.points.size() << " stars</div>\n"
        << report::svg_raster(points, static_cast<std::uint32_t>(c.accounts.size()),
                              static_cast<double>(d0), static_cast<double>(d1 + 1), colours,
                              time_ticks(d0, d1), "cluster raster: accounts by time")
        << report::svg_legend(legend);
  }
  out << fmt::format("<table class=\"sortable\" id=\"cluster-{}-repos\"><thead><tr><th>repository</th>"
                     "<th>centre</th><th class=\"num\">cluster accounts who starred it</th>"
                     "<th>stars labelled</th></tr></thead><tbody>\n",
                     c.index);
  for (const auto& r : c.repos)
    out << "<tr><td class=\"path\">" << html_escape(r.name) << "</td><td data-sort=\""
        << static_cast<std::int64_t>(r.centre) << "\">"
        << format_iso8601_utc(static_cast<std::int64_t>(r.centre)) << "</td><td class=\"num\">"
        << r.cluster_stars << "</td><td>" << (r.marked ? "yes" : "") << "</td></tr>\n";
  out << "</tbody></table>\n</section>\n";
}

void write_sample(std::ostream& out, const RepoStarEvidence& e) {
  if (e.sample.empty()) return;
  out << "<h2>Sample fake stars (earliest first)</h2>\n<p class=\"meta\">Each is a WatchEvent "
         "(action started) in the named GH Archive hour file.</p>\n<table class=\"sortable\" "
         "id=\"sample-table\"><thead><tr><th>account</th><th>starred at</th><th>hour file</th>"
         "<th>signature</th><th class=\"num\">events</th><th>first event</th><th>last event</th>"
         "</tr></thead><tbody>\n";
  for (const auto& s : e.sample)
    out << "<tr><td class=\"path\">" << html_escape(s.login) << "</td><td>"
        << format_iso8601_utc(s.starred_at) << "</td><td class=\"path\">"
        << gharchive_hour_file(s.starred_at) << "</td><td>" << s.signature
        << "</td><td class=\"num\">" << s.events << "</td><td>" << format_iso8601_utc(s.first_event)
        << "</td><td>" << format_iso8601_utc(s.last_event) << "</td></tr>\n";
  out << "</tbody></table>\n";
}

std::string months_text(const std::vector<std::int64_t>& months) {
  std::string out;
  for (auto m : months) out += (out.empty() ? "" : " ") + format_month(m);
  return out;
}

}  // namespace

std::string repo_page_file_name(std::size_t rank, std::string_view repo) {
  std::string name;
  for (char c : repo.substr(0, 120)) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
    name += c == '/' ? std::string("__") : std::string(1, keep ? c : '_');
  }
  return fmt::format("repo-{}-{}.html", rank, name);
}

void write_repo_page(const RepoStarEvidence& e, std::ostream& out, std::string_view index_href) {
  const auto& c = e.counts;
  const std::string_view verdict = repo_verdict(e);
  report::write_page_start(
      out, "Stars of " + e.repo,
      fmt::format("{} · {} stars from {} to {}",
                  verdict == "campaign" ? "fake-star campaign"
                  : verdict == "fake stars" ? "some fake stars, no campaign"
                                            : "no fake stars found",
                  c.total, day_text(e.first_star), day_text(e.last_star)));
  if (!index_href.empty())
    out << "<p><a href=\"" << html_escape(index_href) << "\">all flagged repositories</a></p>\n";
  out << "<div class=\"cards\" id=\"star-counts\">"
      << fmt::format("<div class=\"card\"><b>{}</b>stars</div>", c.total)
      << fmt::format("<div class=\"card\" data-count=\"fake\"><b>{}</b>fake ({:.1f}%)</div>", c.fake,
                     100 * e.fake_share)
      << fmt::format("<div class=\"card\"><b>{}</b>low activity</div>", c.low_activity + c.both)
      << fmt::format("<div class=\"card\"><b>{}</b>lockstep</div>", c.lockstep + c.both)
      << fmt::format("<div class=\"card\"><b>{}</b>cleared by the screen</div>", c.suspected)
      << fmt::format("<div class=\"card\"><b>{}</b>organic</div>", c.organic()) << "</div>\n";
  if (e.campaign)
    out << "<p><b>Campaign months</b> (≥ 50 fake stars and ≥ 50% of the month's stars): "
        << months_text(e.campaign->anomalous_months) << "; fake stars from "
        << format_iso8601_utc(e.campaign->first_fake) << " to "
        << format_iso8601_utc(e.campaign->last_fake) << ".</p>\n";
  else if (e.reference_campaign)
    out << "<p>The reference rules, without the false-positive screen, call this a campaign ("
        << months_text(e.reference_campaign->anomalous_months) << ").</p>\n";
  write_timeline(out, e);
  write_months(out, e);
  if (!e.clusters.empty()) {
    out << "<h2>Lockstep clusters</h2>\n";
    for (const auto& cl : e.clusters) write_cluster(out, cl);
  }
  write_sample(out, e);
  report::write_page_end(out);
}

Result<StarsHtmlCounts> write_stars_html(const std::filesystem::path& dir,
                                         const DetectionInput& input, const DetectResult& result,
                                         std::size_t max_pages) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("cannot create " + dir.string() + ": " + ec.message());

  struct Row {
    const Campaign* campaign;
    bool confident;
  };
  std::vector<Row> rows;
  std::set<std::uint32_t> seen;
  for (const auto& c : result.campaigns) rows.push_back({&c, true}), seen.insert(c.repo);
  for (const auto& c : result.reference_campaigns)
    if (!seen.count(c.repo)) rows.push_back({&c, false});
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    if (a.confident != b.confident) return a.confident;
    if (a.campaign->fake_stars != b.campaign->fake_stars)
      return a.campaign->fake_stars > b.campaign->fake_stars;
    return input.repos.name(a.campaign->repo) < input.repos.name(b.campaign->repo);
  });

  StarsHtmlCounts counts;
  counts.flagged = rows.size();
  // One pass over the stars for every page's repositories (and their clusters' repositories).
  std::unordered_set<std::uint32_t> wanted;
  for (std::size_t i = 0; i < rows.size() && i < max_pages; ++i) {
    const auto repos = evidence_repos(result, rows[i].campaign->repo);
    wanted.insert(repos.begin(), repos.end());
  }
  const RepoStarIndex star_index = index_repo_stars(input, wanted);
  std::vector<std::string> files(rows.size());
  for (std::size_t i = 0; i < rows.size() && counts.pages < max_pages; ++i) {
    const std::string_view name = input.repos.name(rows[i].campaign->repo);
    auto evidence = repo_star_evidence(input, result, name, 10, &star_index);
    if (!evidence) continue;
    files[i] = repo_page_file_name(i + 1, name);
    std::ofstream page(dir / files[i], std::ios::binary);
    write_repo_page(*evidence, page, "index.html");
    page.close();
    if (!page) return make_error("cannot write " + (dir / files[i]).string());
    ++counts.pages;
  }

  std::ofstream index(dir / "index.html", std::ios::binary);
  std::size_t clusters = result.lockstep.clusters.size();
  std::size_t fake = 0, suspected = 0;
  for (std::size_t i = 0; i < result.signature.size(); ++i) {
    if (i < result.confident.size() && result.confident[i]) ++fake;
    else if (result.signature[i]) ++suspected;
  }
  report::write_page_start(
      index, "Fake-star campaigns",
      fmt::format("{} stars, {} accounts, {} repositories · {} fake stars, {} cleared by the "
                  "screen, {} lockstep clusters",
                  input.stars.size(), input.actors.size(), input.repos.size(), fake, suspected,
                  clusters));
  index << "<div class=\"cards\">"
        << fmt::format("<div class=\"card\"><b>{}</b>campaigns</div>", result.campaigns.size())
        << fmt::format("<div class=\"card\"><b>{}</b>only under the reference rules</div>",
                       rows.size() - result.campaigns.size())
        << "</div>\n<h2>Campaigns</h2>\n" << report::filter_bar("campaigns", false)
        << "<table class=\"sortable\" id=\"campaigns-table\"><thead><tr><th>repository</th>"
           "<th class=\"num\">fake stars</th><th class=\"num\">stars</th>"
           "<th class=\"num\">fake share</th><th>anomalous months</th><th>first fake</th>"
           "<th>last fake</th><th>labels</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Campaign& c = *rows[i].campaign;
    const std::string name = html_escape(input.repos.name(c.repo));
    index << "<tr data-filter=\"campaigns\"><td class=\"path\">";
    if (!files[i].empty()) index << "<a href=\"" << html_escape(files[i]) << "\">" << name << "</a>";
    else index << name;
    index << fmt::format(
        "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\" data-sort=\"{:.6f}\">"
        "{:.1f}%</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        c.fake_stars, c.total_stars, c.fake_share, 100 * c.fake_share,
        months_text(c.anomalous_months), format_iso8601_utc(c.first_fake),
        format_iso8601_utc(c.last_fake), rows[i].confident ? "confident" : "reference only");
  }
  index << "</tbody></table>\n";
  if (counts.pages < rows.size())
    index << "<p class=\"meta\">Pages were written for the first " << counts.pages
          << " repositories.</p>\n";
  report::write_page_end(index);
  index.close();
  if (!index) return make_error("cannot write " + (dir / "index.html").string());
  return counts;
}

}  // namespace hubguard::stars
