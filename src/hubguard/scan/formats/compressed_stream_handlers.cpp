// Handlers for single compressed streams: "gzip", "bzip2", "xz", "lzma" (lzma-alone, as
// Python's lzma module and joblib write it), "zlib" (joblib's default compressor), "zstd"
// and "lz4" (frame format). Each decodes its stream under the limits and hands the result
// on as one child; a compressed joblib file is then simply gzip -> pickle. When the decoded
// stream starts with a tar header (a .tar.gz), the tar is walked through libarchive's
// filter instead, so members are read in a stream and skipped members cost no memory.
#include <algorithm>
#include <string>

#include "hubguard/core/byte_reader.hpp"
#include "hubguard/scan/formats/archive_detect.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/libarchive_reader.hpp"
#include "hubguard/scan/formats/member_decode.hpp"
#include "hubguard/scan/formats/member_sniff.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

enum class Stream { gzip, bzip2, xz, lzma, zlib, zstd, lz4 };

bool decodes_a_little(Codec codec, Bytes b) {
  DecompressBounds bounds;
  bounds.max_output = 64;
  Decompressed d = decompress(codec, b.first(std::min<std::size_t>(b.size(), 4096)), bounds);
  return !d.data.empty() || d.stop == DecompressStop::complete;
}

// lzma-alone has no magic: a properties byte (lc/lp/pb, at most 224), a dictionary size,
// and an uncompressed size (-1 when unknown). joblib checks only "\x5d\x00"; we check the
// header is self-consistent and that a few bytes decode.
bool looks_like_lzma_alone(Bytes b) {
  if (b.size() < 13 || b[0] > 224) return false;
  ByteReader r(b, 1);
  std::uint32_t dict = *r.u32le();
  std::uint64_t size = *r.u64le();
  bool dict_ok = false;
  for (int bit = 12; bit < 32 && !dict_ok; ++bit)
    dict_ok = dict == (1U << bit) || dict == (1U << bit) + (1U << (bit - 1));
  if (!dict_ok || (size != UINT64_MAX && size > (1ULL << 48))) return false;
  return decodes_a_little(Codec::lzma_alone, b);
}

bool looks_like_zlib(Bytes b) {
  if (b.size() < 3 || (b[0] & 0x0f) != 8 || (b[0] >> 4) > 7) return false;
  if (((b[0] << 8) | b[1]) % 31 != 0 || (b[1] & 0x20) != 0) return false;  // no preset dict
  return decodes_a_little(Codec::zlib, b);
}

bool matches(Stream s, Bytes b) {
  switch (s) {
    case Stream::gzip: return b.size() >= 18 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8;
    case Stream::bzip2:
      return b.size() >= 14 && starts_with(b, "BZh") && b[3] >= '1' && b[3] <= '9' &&
             (starts_with(b.subspan(4), "\x31\x41\x59\x26\x53\x59") ||
              starts_with(b.subspan(4), "\x17\x72\x45\x38\x50\x90"));
    case Stream::xz: return starts_with(b, std::string_view("\xFD" "7zXZ\0", 6));
    case Stream::lzma: return looks_like_lzma_alone(b);
    case Stream::zlib: return looks_like_zlib(b);
    case Stream::zstd: return starts_with(b, "\x28\xB5\x2F\xFD");
    case Stream::lz4: return starts_with(b, "\x04\x22\x4D\x18");
  }
  return false;
}

std::string_view stream_name(Stream s) {
  switch (s) {
    case Stream::gzip: return "gzip";
    case Stream::bzip2: return "bzip2";
    case Stream::xz: return "xz";
    case Stream::lzma: return "lzma";
    case Stream::zlib: return "zlib";
    case Stream::zstd: return "zstd";
    case Stream::lz4: return "lz4";
  }
  return "?";
}

// The name a decompressed child is shown under: gzip's stored file name when present,
// else the parent's name without its compression suffix.
std::string child_name(Stream s, const Artifact& a) {
  if (s == Stream::gzip && a.bytes.size() > 10 && (a.bytes[3] & 0x08) != 0) {
    std::size_t pos = 10;
    if ((a.bytes[3] & 0x04) != 0) {  // FEXTRA precedes FNAME
      ByteReader r(a.bytes, 10);
      auto xlen = r.u16le();
      pos = xlen ? 12 + *xlen : a.bytes.size();
    }
    std::string name;
    for (; pos < a.bytes.size() && a.bytes[pos] != 0 && name.size() < 255; ++pos)
      name += static_cast<char>(a.bytes[pos]);
    if (!name.empty()) return name;
  }
  std::string n = a.name;
  for (std::string_view ext : {".gz", ".bz2", ".xz", ".lzma", ".z", ".zst", ".lz4", ".tgz"}) {
    if (n.size() > ext.size() && n.compare(n.size() - ext.size(), ext.size(), ext) == 0)
      return ext == ".tgz" ? n.substr(0, n.size() - 4) + ".tar" : n.substr(0, n.size() - ext.size());
  }
  return n.empty() ? std::string("decompressed") : n + ".decompressed";
}

std::optional<Codec> own_codec(Stream s) {
  switch (s) {
    case Stream::gzip: return Codec::gzip;
    case Stream::bzip2: return Codec::bzip2;
    case Stream::xz: return Codec::xz;
    case Stream::lzma: return Codec::lzma_alone;
    case Stream::zlib: return Codec::zlib;
    default: return std::nullopt;
  }
}

class CompressedStreamHandler final : public FormatHandler {
 public:
  explicit CompressedStreamHandler(Stream s) : stream_(s) {}
  std::string_view name() const override { return stream_name(stream_); }
  bool accepts(const Artifact& a) const override { return matches(stream_, a.bytes); }

  void scan(const Artifact& a, ScanContext& ctx) const override {
    const std::string label(stream_name(stream_));
    const auto codec = own_codec(stream_);
    Decompressed sniff;
    if (codec) {
      sniff = sniff_decode(*codec, a.bytes);
    } else {
      DecompressBounds b;
      b.max_output = kSniffSize;
      sniff = decode_with_libarchive(a.bytes, b);
    }
    // A compressed tar (zlib-wrapped tars do not exist; libarchive has no zlib filter).
    if (stream_ != Stream::zlib && looks_like_tar(sniff.data)) {
      ctx.set_format("tar");
      ctx.set_format(label);
      scan_archive(a, ctx, ArchiveKind::tar, /*through_filters=*/true);
      return;
    }
    std::optional<DecodedMember> decoded;
    if (codec) {
      decoded = decode_for_scan(*codec, a.bytes, ctx, 0, "the " + label + " stream", label);
    } else {
      decoded = decode_other(a, ctx, label);
    }
    if (!decoded) return;
    const bool whole = decoded->whole;
    const std::uint64_t trailing = decoded->trailing;
    ctx.add_child(child_owned(a, std::move(decoded->data), child_name(stream_, a)));
    if (whole) report_trailing(a, ctx, label, trailing);
  }

 private:
  std::optional<DecodedMember> decode_other(const Artifact& a, ScanContext& ctx,
                                            const std::string& label) const {
    const auto& limits = ctx.limits();
    DecompressBounds b;
    b.max_output = std::min(limits.max_member_size, limits.max_scanned_member_size);
    b.max_ratio = limits.max_compression_ratio;
    Decompressed d = decode_with_libarchive(a.bytes, b);
    if (d.stop == DecompressStop::ratio_limit) {
      ctx.add_finding(make_finding("limit.compression-ratio", Severity::medium, Verdict::unscannable,
                                   "limit",
                                   "the " + label + " stream is a decompression bomb; not scanned"));
      return std::nullopt;
    }
    if (!ctx.charge_decompressed(d.data.size())) return std::nullopt;
    if (d.stop == DecompressStop::output_limit)
      ctx.add_finding(make_finding("limit.member-size", Severity::low, Verdict::unscannable, "limit",
                                   "the " + label + " stream decompresses to more than " +
                                       std::to_string(b.max_output) + " bytes; only the first were scanned"));
    if (d.stop == DecompressStop::truncated || d.stop == DecompressStop::corrupt)
      ctx.add_finding(make_finding(label + ".broken-stream", Severity::medium, Verdict::suspicious,
                                   "format-anomaly",
                                   "the " + label + " stream is broken after " +
                                       std::to_string(d.data.size()) + " bytes; what was decoded was scanned",
                                   0, d.error));
    return DecodedMember{std::move(d.data), false};
  }

  // Bytes after the end of the stream are ignored by a decompressing loader but may be
  // read by other tools (a pickle appended to a .gz): report them and scan them. Zero
  // padding (tape blocking) is common and harmless.
  void report_trailing(const Artifact& a, ScanContext& ctx, const std::string& label,
                       std::uint64_t trailing) const {
    if (trailing == 0 || trailing > a.bytes.size()) return;
    Bytes tail = a.bytes.last(static_cast<std::size_t>(trailing));
    if (std::all_of(tail.begin(), tail.end(), [](std::uint8_t c) { return c == 0; })) return;
    ctx.add_finding(make_finding(label + ".trailing-data", Severity::medium, Verdict::suspicious,
                                 "format-anomaly",
                                 std::to_string(trailing) + " bytes follow the end of the " + label +
                                     " stream; they were scanned separately",
                                 a.bytes.size() - trailing));
    ctx.add_child(child_view(a, tail, "trailing-data"));
  }

  Stream stream_;
};

}  // namespace

#define HUBGUARD_STREAM_HANDLER(fn, kind)                 \
  const FormatHandler& fn() {                             \
    static const CompressedStreamHandler handler(kind);   \
    return handler;                                       \
  }
HUBGUARD_STREAM_HANDLER(gzip_handler, Stream::gzip)
HUBGUARD_STREAM_HANDLER(bzip2_handler, Stream::bzip2)
HUBGUARD_STREAM_HANDLER(xz_handler, Stream::xz)
HUBGUARD_STREAM_HANDLER(lzma_handler, Stream::lzma)
HUBGUARD_STREAM_HANDLER(zlib_handler, Stream::zlib)
HUBGUARD_STREAM_HANDLER(zstd_handler, Stream::zstd)
HUBGUARD_STREAM_HANDLER(lz4_handler, Stream::lz4)
#undef HUBGUARD_STREAM_HANDLER

}  // namespace hubguard::scan
