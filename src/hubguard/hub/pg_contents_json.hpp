// RepositoryContents <-> JSON, as stored in the queue's `contents` column when a worker
// completes a repository and read back for the report. Decoding is lenient about what it
// does not know and strict about types (the database is shared; a row is input).
#pragma once

#include <nlohmann/json.hpp>

#include "hubguard/core/result.hpp"
#include "hubguard/report/hub_report.hpp"

namespace hubguard::hub {

nlohmann::json contents_to_json(const report::RepositoryContents& contents);
Result<report::RepositoryContents> contents_from_json(const nlohmann::json& j);

}  // namespace hubguard::hub
