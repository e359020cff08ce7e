// The Keras config walk over any JSON (the depth-guarded parser first, as the handlers call
// it), then the keras-config handler itself on the same bytes.
#include "fuzz_support.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/json_guard.hpp"
#include "hubguard/scan/formats/keras_config_walk.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::uint64_t sum = 0;
  if (auto json = scan::parse_json_bounded(text)) {
    // The walk judges any document; is_keras_config only gates what the handler accepts.
    sum += scan::is_keras_config(*json);
    fuzz::RecordingContext ctx;
    scan::scan_keras_config(*json, 0, ctx);
    sum += ctx.checksum() + fuzz::touch(scan::json_excerpt(*json));
  }
  sum += fuzz::run_handler(scan::keras_config_handler(), data, size);
  fuzz::keep(sum);
  return 0;
}
