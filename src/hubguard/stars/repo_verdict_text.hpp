// The one-repository verdict `hubguard stars repo OWNER/NAME` prints: fake and total stars,
// the share, campaign months, the signatures behind the labels, the lockstep clusters the
// repository is in, a weekly sparkline of all and fake stars, and sample fake accounts with
// the GH Archive hour file and time of each star, so a person can look every claim up.
#pragma once

#include <ostream>
#include <string>

#include "hubguard/stars/repo_evidence.hpp"

namespace hubguard::stars {

// "none", "fake stars" or "campaign": what the evidence amounts to.
std::string_view repo_verdict(const RepoStarEvidence& evidence);

// One character per value (U+2581..U+2588 by value/max, a space for zero).
std::string sparkline(const std::vector<std::uint64_t>& values, std::uint64_t max);

// GH Archive's hour file holding time `t`: "2019-09-14-13.json.gz" (hours not zero-padded).
std::string gharchive_hour_file(std::int64_t t);

void write_repo_verdict(const RepoStarEvidence& evidence, std::ostream& out);

}  // namespace hubguard::stars
