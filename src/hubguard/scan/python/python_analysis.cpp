#include "hubguard/scan/python/python_analysis.hpp"

#include <new>

#include "hubguard/scan/python/python_parser.hpp"
#include "hubguard/scan/python/taint.hpp"

namespace hubguard::scan::python {
namespace {

constexpr unsigned kMaxExecNesting = 3;

report::Finding limit_finding(std::string rule, std::string message, std::uint64_t offset) {
  report::Finding f;
  f.rule = std::move(rule);
  f.severity = report::Severity::medium;
  f.verdict = report::Verdict::unscannable;
  f.category = "limit";
  f.message = std::move(message);
  f.location.offset = offset;
  return f;
}

void analyze_into(std::string_view source, const PythonAnalysisOptions& options,
                  std::vector<report::Finding>& out) {
  ParseOptions parse;
  parse.max_source_size = options.limits.max_source_size;
  parse.timeout_micros = options.parse_timeout_micros;
  auto tree = parse_python(source, parse);
  if (!tree) {
    out.push_back(limit_finding(
        "python.limit.parse",
        "Python code could not be parsed: " + tree.error().message + " [" + options.origin + "]",
        options.base_offset));
    return;
  }
  if (tree->truncated())
    out.push_back(
        limit_finding("python.limit.source-size",
                      "Python code larger than " + std::to_string(options.limits.max_source_size) +
                          " bytes: only the beginning was analysed [" + options.origin + "]",
                      options.base_offset));
  TaintOptions taint;
  taint.origin = options.origin;
  taint.role = std::string(python_source_role(tree->source()));
  taint.base_offset = options.base_offset;
  taint.max_operations = options.max_operations;
  TaintReport report = analyze_tree(*tree, taint);
  if (report.budget_exhausted)
    out.push_back(limit_finding("python.limit.analysis",
                                "Python analysis stopped after " +
                                    std::to_string(report.operations) +
                                    " steps: the rest was not analysed [" + options.origin + "]",
                                options.base_offset));
  for (auto& f : report.findings) out.push_back(std::move(f));
  if (options.nesting >= kMaxExecNesting) return;
  // Constant code passed to exec/eval runs too: analyse it as Python in its own right.
  for (const auto& code : report.exec_constants) {
    PythonAnalysisOptions inner = options;
    inner.nesting = options.nesting + 1;
    inner.origin = "code run by exec in " + options.origin;
    inner.max_operations = options.max_operations / 4;
    analyze_into(code, inner, out);
  }
}

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

}  // namespace

std::vector<report::Finding> analyze_python(std::string_view source,
                                            const PythonAnalysisOptions& options) {
  std::vector<report::Finding> out;
  try {
    analyze_into(source, options, out);
  } catch (const std::bad_alloc&) {
    out.push_back(limit_finding("python.limit.memory",
                                "Python analysis ran out of memory [" + options.origin + "]",
                                options.base_offset));
  }
  return out;
}

std::string_view python_source_role(std::string_view source) {
  const std::string_view head = source.substr(0, 1 << 20);
  for (std::string_view marker : {"GeneratorBasedBuilder", "ArrowBasedBuilder", "DatasetBuilder",
                                  "datasets.BuilderConfig", "_split_generators"})
    if (contains(head, marker)) return "dataset script";
  for (std::string_view marker :
       {"PreTrainedModel", "PretrainedConfig", "PreTrainedTokenizer", "ProcessorMixin",
        "FeatureExtractionMixin", "ImageProcessingMixin", "BaseImageProcessor", "GenerationMixin"})
    if (contains(head, marker)) return "remote-code module";
  return {};
}

}  // namespace hubguard::scan::python
