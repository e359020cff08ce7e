// The safetensors handler: the length-prefixed JSON header (depth-guarded), dtypes, shapes,
// data offsets, gaps and overlaps, trailing data and metadata checks.
#include "fuzz_support.hpp"
#include "hubguard/scan/formats/formats.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::keep(fuzz::run_handler(scan::safetensors_handler(), data, size));
  return 0;
}
