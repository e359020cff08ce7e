// Bounded one-shot decompression of an in-memory stream (raw deflate, zlib, gzip, bzip2,
// xz, lzma-alone) for the container and compressed-stream handlers. Hostile streams control
// how much they expand, so every call takes an output cap and a ratio cap and says why it
// stopped; a stream that is cut short or corrupt still returns what was decoded before,
// since a loader would have consumed those bytes too.
#pragma once

#include <cstdint>
#include <string>

#include "hubguard/core/bytes.hpp"

namespace hubguard::scan {

enum class Codec { raw_deflate, zlib, gzip, bzip2, xz, lzma_alone };

struct DecompressBounds {
  std::uint64_t max_output = 0;  // stop (output_limit) once this many bytes are produced
  double max_ratio = 0;          // stop (ratio_limit) once output > ratio * input; 0 = off
  // Below this much output the ratio is not checked: tiny members that expand a lot (a
  // run of zeros) are not bombs, and judging them would only add noise.
  std::uint64_t ratio_floor = 1ULL << 20;
};

enum class DecompressStop {
  complete,         // the stream (and any concatenated streams) ended cleanly
  truncated,        // the input ended inside the stream
  corrupt,          // the codec rejected the data
  output_limit,     // max_output reached with more to decode
  ratio_limit,      // expansion ratio exceeded max_ratio
};

struct Decompressed {
  ByteBuffer data;
  DecompressStop stop = DecompressStop::complete;
  std::string error;               // codec message when corrupt
  std::uint64_t input_used = 0;    // compressed bytes consumed
  std::uint64_t trailing = 0;      // bytes after the end of the last stream (complete only)
};

Decompressed decompress(Codec codec, Bytes input, const DecompressBounds& bounds);

std::string_view to_string(DecompressStop stop);

}  // namespace hubguard::scan
