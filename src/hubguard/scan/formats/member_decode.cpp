#include "hubguard/scan/formats/member_decode.hpp"

#include <algorithm>

#include "hubguard/scan/formats/member_sniff.hpp"

namespace hubguard::scan {

using report::Severity;
using report::Verdict;

Decompressed sniff_decode(Codec codec, Bytes compressed) {
  DecompressBounds b;
  b.max_output = kSniffSize;
  return decompress(codec, compressed, b);
}

std::optional<DecodedMember> decode_for_scan(Codec codec, Bytes compressed, ScanContext& ctx,
                                          std::uint64_t offset, const std::string& what,
                                          const std::string& rule_prefix) {
  const auto& limits = ctx.limits();
  DecompressBounds b;
  b.max_output = std::min(limits.max_member_size, limits.max_scanned_member_size);
  b.max_ratio = limits.max_compression_ratio;
  Decompressed d = decompress(codec, compressed, b);

  if (d.stop == DecompressStop::ratio_limit) {
    ctx.add_finding(make_finding(
        "limit.compression-ratio", Severity::medium, Verdict::unscannable, "limit",
        what + " expands more than " + std::to_string(static_cast<long long>(limits.max_compression_ratio)) +
            "x (a decompression bomb); it was not scanned",
        offset,
        std::to_string(compressed.size()) + " compressed bytes gave over " +
            std::to_string(d.data.size()) + " bytes"));
    return std::nullopt;
  }
  if (!ctx.charge_decompressed(d.data.size())) return std::nullopt;
  if (d.stop == DecompressStop::output_limit) {
    ctx.add_finding(make_finding(
        "limit.member-size", Severity::low, Verdict::unscannable, "limit",
        what + " decompresses to more than " + std::to_string(b.max_output) +
            " bytes; only the first " + std::to_string(b.max_output) + " were scanned",
        offset));
  } else if (d.stop == DecompressStop::truncated || d.stop == DecompressStop::corrupt) {
    ctx.add_finding(make_finding(
        rule_prefix + ".broken-stream", Severity::medium, Verdict::suspicious, "format-anomaly",
        what + " is " + std::string(to_string(d.stop)) + " after " + std::to_string(d.data.size()) +
            " decoded bytes; what was decoded was scanned",
        offset, d.error));
  }
  return DecodedMember{std::move(d.data), d.stop == DecompressStop::complete, d.trailing};
}

}  // namespace hubguard::scan
