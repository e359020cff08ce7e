// Reads an extract — the CSV results of the `hubguard stars sql` statements — into a
// DetectionInput, so detection can run on data reduced by BigQuery or ClickHouse.
//   DIR/stars.csv     header actor,repo,created_at
//   DIR/activity.csv  header actor,first_time,last_time,events,distinct_times,distinct_repos,distinct_orgs
// Times are ISO 8601 ("2019-07-01T12:00:00Z") or "YYYY-MM-DD HH:MM:SS" (UTC); columns are found
// by header name, so extra columns and other orders are fine. Ids follow the same rule as every
// other source (byte order of names), so the same data gives the same DetectionInput.
#pragma once

#include <filesystem>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/detection_input.hpp"

namespace hubguard::stars {

bool is_extract_dir(const std::filesystem::path& path);

// Errors name the file and line: malformed rows, unparsable times, a stargazer without an
// activity row. Activity rows of accounts without stars are ignored.
Result<DetectionInput> detection_input_from_extract(const std::filesystem::path& dir);

}  // namespace hubguard::stars
