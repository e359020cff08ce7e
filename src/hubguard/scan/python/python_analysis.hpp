// The entry point the code-analysis orchestrator calls for Python text (a source file, a
// code string recovered from a pickle, a decoded layer). It parses with tree-sitter, runs
// the taint analysis, re-analyses constant code handed to exec/eval (bounded nesting), and
// turns limits into findings. It never executes anything and never throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/core/limits.hpp"
#include "hubguard/report/finding.hpp"

namespace hubguard::scan::python {

struct PythonAnalysisOptions {
  ScanLimits limits;                     // max_source_size bounds the text analysed
  std::string origin = "python source";  // how the code would run, quoted in every message
  std::uint64_t base_offset = 0;         // added to every finding's offset (sink byte offset)
  unsigned nesting = 0;                  // exec('...') re-analysis depth (internal)
  std::uint64_t parse_timeout_micros = 5'000'000;
  std::uint64_t max_operations = 20'000'000;  // abstract-interpretation steps
};

std::vector<report::Finding> analyze_python(std::string_view source,
                                            const PythonAnalysisOptions& options);

// What kind of Hugging Face code this looks like: "dataset script" (a datasets builder),
// "remote-code module" (a transformers model/config/tokenizer class), or "" otherwise.
// A cheap text test over the first megabyte.
std::string_view python_source_role(std::string_view source);

}  // namespace hubguard::scan::python
