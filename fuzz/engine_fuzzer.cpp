// The whole scan engine on one file's bytes: detection by content, every format handler,
// recursion through containers under the limits, the code analyzers, behaviour
// classification and the verdict. Covers handlers that have no dedicated target yet.
#include "fuzz_support.hpp"
#include "hubguard/scan/engine.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const scan::ScanOptions options = fuzz::fuzz_options();
  const auto report = scan::scan_bytes(Bytes(data, size), "fuzz.bin", options);
  std::uint64_t sum = fuzz::touch(report.format) + fuzz::touch(report.error);
  for (const auto& finding : report.findings)
    sum += fuzz::touch(finding.message) + fuzz::touch(finding.location.member);
  fuzz::keep(sum);
  return 0;
}
