// TensorFlow SavedModel: saved_model.pb parsed with the bounded protobuf subset and judged
// node by node (functions included), and keras_metadata.pb (layer configs as JSON) through
// its own handler. Each handler runs when it claims the bytes.
#include "fuzz_support.hpp"
#include "hubguard/scan/formats/formats.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::uint64_t sum = fuzz::run_handler(scan::saved_model_handler(), data, size, "saved_model.pb");
  sum += fuzz::run_handler(scan::keras_metadata_handler(), data, size, "keras_metadata.pb");
  fuzz::keep(sum);
  return 0;
}
