// Taint analysis of one parsed Python module. It interprets the module abstractly: every
// expression gets a Value (taint facts with the path they travelled, a constant string or
// constant prefix when known, the dotted name it resolves to after import aliases, handle
// marks such as "this is a socket"). Sources and sinks come from sources_sinks.hpp.
// Flows cross functions of the module by analysing a local function's body at each call
// with the caller's argument values (bounded call depth, cached for untainted calls), and
// every function is also analysed once on its own. A source reaching a sink is a finding
// whose evidence is the flow path; inherently dangerous calls (exec of computed code,
// shell commands, reverse-shell wiring, writes to persistence locations, deletes of broad
// paths) are findings without taint. Expression and statement recursion is bounded; deeper
// or unparsable parts are read by an iterative fallback scan, so hostile nesting cannot
// exhaust the stack, and an operation budget bounds the time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hubguard/report/finding.hpp"
#include "hubguard/scan/python/python_parser.hpp"

namespace hubguard::scan::python {

struct TaintOptions {
  std::string origin = "python source";  // how the code would run, for messages
  std::string role;                      // "dataset script", "remote-code module" or empty
  std::uint64_t base_offset = 0;         // added to every finding's offset
  std::uint64_t max_operations = 20'000'000;
  unsigned max_call_depth = 3;  // nested analyses of local functions at call sites
  std::size_t max_findings = 256;
};

struct TaintReport {
  std::vector<report::Finding> findings;
  // Constant code handed to exec/eval/compile (including constants the analysis decoded);
  // the caller may analyse them as Python in turn.
  std::vector<std::string> exec_constants;
  bool budget_exhausted = false;
  std::uint64_t operations = 0;
};

TaintReport analyze_tree(const PythonTree& tree, const TaintOptions& options);

}  // namespace hubguard::scan::python
