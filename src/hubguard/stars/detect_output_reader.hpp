// Reading a `stars detect` output directory back into a DetectResult over the same input, so
// `stars repo --detection DIR` explains a repository from a detection already run (its labels,
// campaigns and clusters, whatever options produced them) instead of running it again. Every
// row must name a star, account or repository of the input: a mismatch (the directory came
// from another input) is an error naming the file and line, never a silent partial result.
#pragma once

#include <filesystem>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/detect.hpp"

namespace hubguard::stars {

// Reads fake_stars.csv, suspected_false_positives.csv, campaigns.csv,
// reference_campaigns.csv and clusters.json. Fills signature, confident, campaigns,
// reference_campaigns, lockstep.clusters and the screen's per-cluster fields; the per-signature
// results (low_activity, lockstep.star_is_fake) stay empty, as detect_fake_stars leaves them.
Result<DetectResult> read_detect_output(const std::filesystem::path& dir,
                                        const DetectionInput& input);

}  // namespace hubguard::stars
