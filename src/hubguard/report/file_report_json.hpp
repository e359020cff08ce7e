// The one JSON shape of a FileReport: the entries of `hubguard scan --format json`, the
// files of `hubguard hub scan --format json`, the values of the hub result cache and the
// messages of the isolated scan workers all use it, so a result can travel between them
// unchanged. Decoding is strict: the input may come from a cache file or a worker process
// that hostile content could have corrupted, so every field is type-checked and a malformed
// entry is an Error, never an exception.
#pragma once

#include <nlohmann/json.hpp>

#include "hubguard/core/result.hpp"
#include "hubguard/report/file_report.hpp"

namespace hubguard::report {

// Keys in the order the writers print them (path first, then what a person scans for).
nlohmann::ordered_json file_report_to_ordered_json(const FileReport& file);
nlohmann::json file_report_to_json(const FileReport& file);

// Inverse of file_report_to_json. The verdict read is never better than the findings imply.
Result<FileReport> file_report_from_json(const nlohmann::json& j);
Result<FileReport> file_report_from_json(const nlohmann::ordered_json& j);

}  // namespace hubguard::report
