// Precision and recall of detection against the generator's ground truth: fake stars (the
// confident labels, and the reference's labels = confident + suspected false positives), and
// campaign repositories (campaigns.csv and reference_campaigns.csv against the planted
// targets). Bait stars (one-time, viral, launch-week and course stars: real, but shaped like
// fakes) are counted per kind, which is how the false-positive screen is measured.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/detect.hpp"
#include "hubguard/stars/generator.hpp"

namespace hubguard::stars {

struct PrecisionRecall {
  std::uint64_t true_positives = 0, false_positives = 0, false_negatives = 0;
  double precision() const {
    const auto d = true_positives + false_positives;
    return d ? static_cast<double>(true_positives) / static_cast<double>(d) : 1.0;
  }
  double recall() const {
    const auto d = true_positives + false_negatives;
    return d ? static_cast<double>(true_positives) / static_cast<double>(d) : 1.0;
  }
};

struct Evaluation {
  PrecisionRecall stars;                // fake_stars.csv
  PrecisionRecall stars_reference;      // fake_stars.csv + suspected_false_positives.csv
  PrecisionRecall campaigns;            // campaigns.csv
  PrecisionRecall campaigns_reference;  // reference_campaigns.csv
  std::map<std::string, std::uint64_t> planted_total;           // planted fake stars by kind
  std::map<std::string, std::uint64_t> planted_found;           // ... of them in fake_stars.csv
  std::map<std::string, std::uint64_t> bait_total;              // by kind
  std::map<std::string, std::uint64_t> bait_flagged;            // in fake_stars.csv
  std::map<std::string, std::uint64_t> bait_flagged_reference;  // in either file
};

Evaluation evaluate_in_memory(const SyntheticInput& truth, const DetectResult& result);

// `truth_dir` holds truth_fake_stars.csv, truth_campaigns.csv and (optionally) truth_bait.csv;
// `detect_dir` is a `stars detect` output directory.
Result<Evaluation> evaluate_files(const std::filesystem::path& truth_dir,
                                  const std::filesystem::path& detect_dir);

std::string format_evaluation(const Evaluation& e);  // human-readable table
std::string evaluation_json(const Evaluation& e);

}  // namespace hubguard::stars
