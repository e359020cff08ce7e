// Static decoding of the layers code hides behind before it runs: Python string building
// (concatenation, join, chr sequences, fromhex, rot13, escapes) and encoded or compressed
// blobs (base64/base32/base16, zlib/gzip/bz2/xz/lzma) found as literals or bare runs in a
// code string or shell command, nested up to a depth limit. Nothing is executed; every
// decoder is bounded in output size and expansion ratio. The caller analyses each layer
// like the original code; a layer that turns out to be marshalled bytecode is flagged so the
// caller can disassemble it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/core/limits.hpp"

namespace hubguard::scan::decode {

enum class LayerContent {
  text,     // readable text: code, a command, a URL ...
  marshal,  // bytes that start like a marshalled code object
};

struct DecodedLayer {
  std::string data;   // decoded bytes (text, or marshal data)
  std::string how;    // the path from the original code, e.g. "base64 > zlib"
  unsigned depth = 1; // how many decoding steps deep (1 = decoded straight from the code)
  bool encoded = false;  // an encoding or compression was undone (not only string building)
  LayerContent content = LayerContent::text;
};

struct DecodeLimits {
  unsigned max_depth = 8;
  std::size_t max_layers = 64;
  std::uint64_t max_layer_size = 16u << 20;   // one decoded or decompressed value
  std::uint64_t max_total = 64u << 20;        // all layers of one code string together
  double max_ratio = 1000.0;                  // decompressed / compressed
  std::size_t min_literal_blob = 12;          // quoted literal tried as base64/hex/base32
  std::size_t min_bare_blob = 24;             // unquoted run tried (shell commands, f-strings)
};

DecodeLimits decode_limits_from(const ScanLimits& limits);

// The layers under `code`, breadth first, without duplicates; `code` itself is not included.
std::vector<DecodedLayer> decode_layers(std::string_view code, const DecodeLimits& limits);

// Heuristics shared with the analyzers.
bool looks_like_text(std::string_view bytes);
bool looks_like_code(std::string_view text);  // Python or shell, not prose or data

}  // namespace hubguard::scan::decode
