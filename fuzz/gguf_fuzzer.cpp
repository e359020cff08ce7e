// The GGUF handler: versions 1-3 and big-endian v3, metadata key/values and arrays, tensor
// infos, the data range, and chat templates judged as Jinja.
#include "fuzz_support.hpp"
#include "hubguard/scan/formats/formats.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::keep(fuzz::run_handler(scan::gguf_handler(), data, size));
  return 0;
}
