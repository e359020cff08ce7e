// Builds the DetectionInput that low-activity and CopyCatch read, from any EventSource:
// the window's stars, and for every account that starred in the window a summary of all its
// events there. Ids are given in byte order of the names, so a given set of events yields the
// same DetectionInput whether it came from archive files, the event store or an extract.
#pragma once

#include <filesystem>
#include <vector>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/detection_input.hpp"
#include "hubguard/stars/event_source.hpp"
#include "hubguard/stars/gharchive_reader.hpp"

namespace hubguard::stars {

Result<DetectionInput> build_detection_input(const EventSource& source, const TimeWindow& window = {});

// Straight from archive files or directories (no store): parse, merge, build. Per-file
// stats go to `stats` when given (same order as list_archive_files).
Result<DetectionInput> detection_input_from_archives(const std::vector<std::filesystem::path>& paths,
                                                     const ReadOptions& options = {},
                                                     const TimeWindow& window = {},
                                                     ReadResult* stats = nullptr);

}  // namespace hubguard::stars
