// What `stars detect` and `stars repo` share: where the events come from (hour files,
// directories of them, an event store, a SQL extract, ClickHouse, or the synthetic generator)
// and every parameter of the reference method, as options with the reference's defaults.
// Both commands run the same detection, so a repository's verdict from `stars repo` is the one
// `stars detect` would give with the same options.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/detect.hpp"

namespace hubguard::cli {

struct DetectArgs {
  std::vector<std::string> paths;
  std::string from, to;
  std::string clickhouse, clickhouse_table = "github_events", keep_extract;
  unsigned threads = 0;
  double synthetic_scale = 0;
  std::uint64_t seed = 1;
  double delta_t_days = 15;
  bool reference = false;
  double established_span_days = 30;
  double tail_window_days = 7;
  stars::DetectParams params;
};

// Every input and parameter option except the positional PATH list (each command names its own).
void add_detect_options(CLI::App& cmd, DetectArgs& a);

// The parameters with the options' units applied (days to seconds, --reference, --threads).
stars::DetectParams detect_params(const DetectArgs& a);

Result<stars::DetectionInput> load_detect_input(const DetectArgs& a);

}  // namespace hubguard::cli
