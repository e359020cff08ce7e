// The symbolic pickle VM and everything that reads its Program: the analysis (findings),
// embedded code and nested payload extraction, and the program printer. Input: a pickle
// stream (several concatenated pickles allowed, as torch legacy and joblib files hold).
#include "fuzz_support.hpp"
#include "hubguard/scan/pickle/pickle_analysis.hpp"
#include "hubguard/scan/pickle/pickle_vm.hpp"
#include "hubguard/scan/pickle/program_printer.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ScanLimits limits = fuzz::fuzz_limits();
  const auto stream = scan::pickle::run_pickle_stream(Bytes(data, size), 0, limits);
  std::uint64_t sum = stream.end;
  for (const auto& program : stream.pickles) {
    // Every view a Program holds must still point into the input or its own storage.
    for (const auto& node : program.nodes) sum += fuzz::touch(node.text);
    for (const auto& import : program.imports) sum += fuzz::touch(import.module) + fuzz::touch(import.name);
    for (const auto& finding : scan::pickle::analyze(program)) sum += fuzz::touch(finding.message);
    for (const auto& code : scan::pickle::embedded_code(program)) sum += fuzz::touch(code.text);
    for (const auto& payload : scan::pickle::nested_payloads(program)) sum += fuzz::touch(payload.bytes);
    sum += fuzz::touch(scan::pickle::to_python(program));
  }
  fuzz::keep(sum);
  return 0;
}
