// Python code analysis: tree-sitter parsing, the taint analysis, constant-folded strings,
// exec re-analysis and decoding layers, as the code analyzers run them on a source file
// (analyze_code with python_source evidence also runs the YARA rules and shell analysis).
#include "fuzz_support.hpp"
#include "hubguard/scan/code_analysis.hpp"
#include "hubguard/scan/python/python_analysis.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks how the text reaches the analyzers (as code evidence would).
  static constexpr scan::CodeKind kKinds[] = {scan::CodeKind::python_source,
                                              scan::CodeKind::code_string,
                                              scan::CodeKind::shell_command,
                                              scan::CodeKind::bytecode,
                                              scan::CodeKind::chat_template};
  scan::CodeEvidence code;
  code.kind = kKinds[data[0] % std::size(kKinds)];
  code.text.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  code.via = "fuzz";
  static const scan::ScanOptions options = fuzz::fuzz_options();
  std::uint64_t sum = 0;
  for (const auto& finding : scan::analyze_code(code, options)) sum += fuzz::touch(finding.message);
  sum += fuzz::touch(scan::python::python_source_role(code.text));
  fuzz::keep(sum);
  return 0;
}
