// Keras H5: the HDF5 file opened from memory by libhdf5 (root attributes only), the
// model_config / training_config JSON walked like a .keras config, user blocks. Crashes
// inside libhdf5 itself cannot be fixed here; hub scans isolate parsers in worker processes
// for that reason.
#include "fuzz_support.hpp"
#include "hubguard/scan/formats/formats.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::keep(fuzz::run_handler(scan::keras_h5_handler(), data, size, "model.h5"));
  return 0;
}
