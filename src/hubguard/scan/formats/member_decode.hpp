// Decoding one compressed container member under the engine's limits, shared by the zip
// and compressed-stream handlers: a cheap sniff of the first bytes, then (only for members
// worth scanning) the whole member bounded by size, ratio and the per-file decompression
// budget. Limit hits and broken streams become findings; whatever was decoded before the
// stop is still returned for scanning.
#pragma once

#include <optional>
#include <string>

#include "hubguard/core/bytes.hpp"
#include "hubguard/scan/formats/decompress.hpp"
#include "hubguard/scan/scan_context.hpp"

namespace hubguard::scan {

// The first min(kSniffSize, size) decoded bytes (no findings, no budget charged).
Decompressed sniff_decode(Codec codec, Bytes compressed);

// Decodes the whole member for scanning. Returns nullopt when nothing should be scanned (a
// bomb, or the budget is spent); findings are reported through ctx at `offset`. `what`
// names the member in messages; `rule_prefix` is the format ("zip", "gzip", ...) for the
// broken-stream finding.
struct DecodedMember {
  ByteBuffer data;
  bool whole = false;  // the stream ended cleanly within the limits
  std::uint64_t trailing = 0;  // input bytes after the end of the stream (when whole)
};
std::optional<DecodedMember> decode_for_scan(Codec codec, Bytes compressed, ScanContext& ctx,
                                          std::uint64_t offset, const std::string& what,
                                          const std::string& rule_prefix);

}  // namespace hubguard::scan
