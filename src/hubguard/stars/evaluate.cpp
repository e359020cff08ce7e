#include "hubguard/stars/evaluate.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace hubguard::stars {

namespace {

void score(PrecisionRecall& pr, bool predicted, bool actual) {
  if (predicted && actual)
    ++pr.true_positives;
  else if (predicted)
    ++pr.false_positives;
  else if (actual)
    ++pr.false_negatives;
}

// Splits one CSV line; quoted fields may hold commas and doubled quotes.
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

// Rows of a CSV file with at least `min_fields` fields, header skipped; the header must start
// with `first_column` (a guard against passing the wrong directory).
Result<std::vector<std::vector<std::string>>> read_csv(const std::filesystem::path& path,
                                                       std::string_view first_column,
                                                       std::size_t min_fields, bool optional) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  if (!in) {
    if (optional) return rows;
    return make_error("cannot read " + path.string());
  }
  std::string line;
  if (!std::getline(in, line) || line.rfind(first_column, 0) != 0)
    return make_error(path.string() + ": unexpected header");
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto f = split_csv(line);
    if (f.size() < min_fields) return make_error(path.string() + ": short row: " + line);
    rows.push_back(std::move(f));
  }
  return rows;
}

std::string star_key(const std::string& actor, const std::string& repo, const std::string& t) {
  return actor + '\x1f' + repo + '\x1f' + t;
}

}  // namespace

Evaluation evaluate_in_memory(const SyntheticInput& truth, const DetectResult& r) {
  Evaluation e;
  const auto& stars = truth.input.stars;
  for (std::size_t i = 0; i < stars.size(); ++i) {
    const StarKind k = truth.star_kind[i];
    const bool fake = is_planted_fake(k);
    score(e.stars, r.confident[i] != 0, fake);
    score(e.stars_reference, r.signature[i] != 0, fake);
    if (fake) {
      const std::string name(star_kind_name(k));
      ++e.planted_total[name];
      e.planted_found[name] += r.confident[i] ? 1 : 0;
    }
    if (!fake && k != StarKind::kOrganic) {
      const std::string name(star_kind_name(k));
      ++e.bait_total[name];
      if (r.confident[i]) ++e.bait_flagged[name];
      if (r.signature[i]) ++e.bait_flagged_reference[name];
    }
  }
  std::set<std::uint32_t> planted;
  for (const auto& c : truth.campaigns) planted.insert(c.first);
  auto campaign_score = [&](const std::vector<Campaign>& found, PrecisionRecall& pr) {
    std::set<std::uint32_t> got;
    for (const Campaign& c : found) got.insert(c.repo);
    for (auto repo : got) score(pr, true, planted.count(repo) != 0);
    for (auto repo : planted)
      if (!got.count(repo)) score(pr, false, true);
  };
  campaign_score(r.campaigns, e.campaigns);
  campaign_score(r.reference_campaigns, e.campaigns_reference);
  return e;
}

Result<Evaluation> evaluate_files(const std::filesystem::path& truth_dir,
                                  const std::filesystem::path& detect_dir) {
  Evaluation e;
  auto truth = read_csv(truth_dir / "truth_fake_stars.csv", "actor", 3, false);
  if (!truth) return truth.error();
  auto bait = read_csv(truth_dir / "truth_bait.csv", "actor", 4, true);
  if (!bait) return bait.error();
  auto planted = read_csv(truth_dir / "truth_campaigns.csv", "repo", 1, false);
  if (!planted) return planted.error();
  auto fake = read_csv(detect_dir / "fake_stars.csv", "actor", 3, false);
  if (!fake) return fake.error();
  auto suspected = read_csv(detect_dir / "suspected_false_positives.csv", "actor", 3, true);
  if (!suspected) return suspected.error();
  auto campaigns = read_csv(detect_dir / "campaigns.csv", "repo", 1, false);
  if (!campaigns) return campaigns.error();
  auto reference_campaigns = read_csv(detect_dir / "reference_campaigns.csv", "repo", 1, true);
  if (!reference_campaigns) return reference_campaigns.error();

  std::unordered_set<std::string> truth_set, fake_set, suspect_set;
  for (const auto& r : *truth) truth_set.insert(star_key(r[0], r[1], r[2]));
  for (const auto& r : *fake) fake_set.insert(star_key(r[0], r[1], r[2]));
  for (const auto& r : *truth) {
    const std::string kind = r.size() > 3 ? r[3] : "fake";
    ++e.planted_total[kind];
    e.planted_found[kind] += fake_set.count(star_key(r[0], r[1], r[2])) ? 1 : 0;
  }
  for (const auto& r : *suspected) suspect_set.insert(star_key(r[0], r[1], r[2]));
  for (const auto& k : fake_set) score(e.stars, true, truth_set.count(k) != 0);
  for (const auto& k : truth_set)
    if (!fake_set.count(k)) score(e.stars, false, true);
  std::unordered_set<std::string> ref_set = fake_set;
  ref_set.insert(suspect_set.begin(), suspect_set.end());
  for (const auto& k : ref_set) score(e.stars_reference, true, truth_set.count(k) != 0);
  for (const auto& k : truth_set)
    if (!ref_set.count(k)) score(e.stars_reference, false, true);
  for (const auto& r : *bait) {
    const auto k = star_key(r[0], r[1], r[2]);
    ++e.bait_total[r[3]];
    if (fake_set.count(k)) ++e.bait_flagged[r[3]];
    if (ref_set.count(k)) ++e.bait_flagged_reference[r[3]];
  }
  std::set<std::string> planted_repos;
  for (const auto& r : *planted) planted_repos.insert(r[0]);
  auto campaign_score = [&](const std::vector<std::vector<std::string>>& rows,
                            PrecisionRecall& pr) {
    std::set<std::string> got;
    for (const auto& r : rows) got.insert(r[0]);
    for (const auto& repo : got) score(pr, true, planted_repos.count(repo) != 0);
    for (const auto& repo : planted_repos)
      if (!got.count(repo)) score(pr, false, true);
  };
  campaign_score(*campaigns, e.campaigns);
  campaign_score(*reference_campaigns, e.campaigns_reference);
  return e;
}

std::string format_evaluation(const Evaluation& e) {
  std::string out = fmt::format("{:<28} {:>10} {:>10} {:>10} {:>9} {:>9}\n", "", "true_pos",
                                "false_pos", "false_neg", "precision", "recall");
  auto line = [&](std::string_view name, const PrecisionRecall& pr) {
    out += fmt::format("{:<28} {:>10} {:>10} {:>10} {:>9.4f} {:>9.4f}\n", name, pr.true_positives,
                       pr.false_positives, pr.false_negatives, pr.precision(), pr.recall());
  };
  line("fake stars", e.stars);
  line("fake stars (reference)", e.stars_reference);
  line("campaign repos", e.campaigns);
  line("campaign repos (reference)", e.campaigns_reference);
  auto get = [](const std::map<std::string, std::uint64_t>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? std::uint64_t{0} : it->second;
  };
  out += fmt::format("\n{:<28} {:>10} {:>10} {:>9}\n", "planted fake stars", "total", "found",
                     "recall");
  for (const auto& [kind, total] : e.planted_total) {
    const auto found = get(e.planted_found, kind);
    out += fmt::format("{:<28} {:>10} {:>10} {:>9.4f}\n", kind, total, found,
                       total ? static_cast<double>(found) / static_cast<double>(total) : 1.0);
  }
  out += fmt::format("\n{:<28} {:>10} {:>10} {:>10}\n", "bait stars (real)", "total", "flagged",
                     "reference");
  for (const auto& [kind, total] : e.bait_total)
    out += fmt::format("{:<28} {:>10} {:>10} {:>10}\n", kind, total, get(e.bait_flagged, kind),
                       get(e.bait_flagged_reference, kind));
  return out;
}

std::string evaluation_json(const Evaluation& e) {
  auto pr = [](const PrecisionRecall& p) {
    return nlohmann::ordered_json{{"true_positives", p.true_positives},
                                  {"false_positives", p.false_positives},
                                  {"false_negatives", p.false_negatives},
                                  {"precision", p.precision()},
                                  {"recall", p.recall()}};
  };
  nlohmann::ordered_json j;
  j["fake_stars"] = pr(e.stars);
  j["fake_stars_reference"] = pr(e.stars_reference);
  j["campaigns"] = pr(e.campaigns);
  j["campaigns_reference"] = pr(e.campaigns_reference);
  j["planted_total"] = e.planted_total;
  j["planted_found"] = e.planted_found;
  j["bait_total"] = e.bait_total;
  j["bait_flagged"] = e.bait_flagged;
  j["bait_flagged_reference"] = e.bait_flagged_reference;
  return j.dump(2) + "\n";
}

}  // namespace hubguard::stars
