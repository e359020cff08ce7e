// Which files a list of command-line paths means: files as given, directories walked
// recursively for GH Archive hours (*.json.gz, *.json, *.jsonl, *.ndjson). The result is
// sorted by name with digit runs compared as numbers, so "2015-01-01-2.json.gz" comes before
// "2015-01-01-10.json.gz" (GH Archive does not zero-pad hours) and order is chronological.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "hubguard/core/result.hpp"

namespace hubguard::stars {

bool is_archive_file_name(std::string_view name);
// Natural order: "a2" < "a10". Ties fall back to plain byte order, so it is a total order.
bool natural_less(std::string_view a, std::string_view b);

// Errors: a path that does not exist. Directories without archive files are not an error.
Result<std::vector<std::filesystem::path>> list_archive_files(
    const std::vector<std::filesystem::path>& inputs);

}  // namespace hubguard::stars
