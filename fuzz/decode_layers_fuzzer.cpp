// The static decoding layers under a code string: Python string building (concatenation,
// join, chr sequences, fromhex, rot13, escapes) and encoded or compressed blobs
// (base64/32/16, zlib/gzip/bz2/xz/lzma), nested to the depth limit with size and ratio caps.
// Faster than python_analysis, which runs these too but behind tree-sitter and the taint pass.
#include "fuzz_support.hpp"
#include "hubguard/scan/decode/layers.hpp"
#include "hubguard/scan/decode/python_strings.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view code(reinterpret_cast<const char*>(data), size);
  auto limits = scan::decode::decode_limits_from(fuzz::fuzz_limits());
  limits.max_layer_size = 4u << 20;
  limits.max_total = 16u << 20;
  std::uint64_t sum = 0;
  std::uint64_t total = 0;
  for (const auto& layer : scan::decode::decode_layers(code, limits)) {
    sum += fuzz::touch(layer.data) + fuzz::touch(layer.how) + layer.depth;
    total += layer.data.size();
    // Each bound the decoder promises.
    if (layer.depth > limits.max_depth || layer.data.size() > limits.max_layer_size) __builtin_trap();
  }
  // The total is checked before each layer is added, so it may pass max_total by one layer.
  if (total > limits.max_total + limits.max_layer_size) __builtin_trap();
  for (const auto& expr : scan::decode::find_string_expressions(code)) {
    if (expr.begin > expr.end || expr.end > size) __builtin_trap();
    sum += fuzz::touch(expr.value) + fuzz::touch(expr.how);
  }
  sum += scan::decode::looks_like_code(code) + scan::decode::looks_like_text(code);
  fuzz::keep(sum);
  return 0;
}
