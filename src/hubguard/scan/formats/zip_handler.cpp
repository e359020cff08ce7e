// The "zip" handler: lists a zip through the tolerant central-directory reader, reports its
// anomalies, names its flavour (pytorch-zip, torchscript, numpy-npz) from the member names,
// and hands on the members worth scanning. Stored members are views into the file (no
// copy); deflate and bzip2 members are decoded under the limits; other methods go through
// libarchive. Member selection follows member_sniff.hpp: in a PyTorch checkpoint the tensor
// storages (`<top>/data/<n>`) are judged from their first page and then skipped, so scan
// time does not grow with the weights.
#include <libdeflate.h>

#include <algorithm>

#include "hubguard/scan/formats/libarchive_reader.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/member_decode.hpp"
#include "hubguard/scan/formats/member_sniff.hpp"
#include "hubguard/scan/formats/zip_reader.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

constexpr std::uint16_t kStored = 0;
constexpr std::uint16_t kDeflate = 8;
constexpr std::uint16_t kBzip2 = 12;

std::string quoted(const std::string& name) { return "member '" + name + "'"; }

void check_crc(const ZipEntry& e, Bytes data, ScanContext& ctx) {
  const std::uint32_t crc =
      static_cast<std::uint32_t>(libdeflate_crc32(0, data.data(), data.size()));
  if (crc == e.crc32) return;
  char buf[64];
  std::snprintf(buf, sizeof buf, "stored %08x, computed %08x", e.crc32, crc);
  ctx.add_finding(make_finding("zip.crc-mismatch", Severity::medium, Verdict::suspicious,
                               "format-anomaly",
                               quoted(e.name) +
                                   " fails its CRC check; loaders that skip the check load it, so it "
                                   "was scanned",
                               e.local_offset, buf));
}

void check_size(const ZipEntry& e, std::uint64_t actual, ScanContext& ctx) {
  if (actual == e.uncompressed_size) return;
  ctx.add_finding(make_finding(
      "zip.size-mismatch", Severity::medium, Verdict::suspicious, "format-anomaly",
      quoted(e.name) + " decodes to a size other than the directory declares", e.local_offset,
      "declared " + std::to_string(e.uncompressed_size) + ", actual " + std::to_string(actual)));
}

void scan_stored(const Artifact& zip, const ZipEntry& e, Bytes data, ScanContext& ctx) {
  Bytes prefix = data.first(std::min<std::size_t>(data.size(), kSniffSize));
  if (!worth_scanning(zip, e.name, prefix, data.size(), ctx.limits())) return;
  // Stored data must equal the declared size; torch trusts the directory sizes.
  if (e.uncompressed_size != e.compressed_size) check_size(e, data.size(), ctx);
  check_crc(e, data, ctx);
  ctx.add_child(child_view(zip, data, e.name));
}

void scan_decoded(const Artifact& zip, const ZipEntry& e, Codec codec, Bytes data,
                  ScanContext& ctx) {
  Decompressed sniff = sniff_decode(codec, data);
  if (sniff.data.empty() && sniff.stop != DecompressStop::complete) {
    ctx.add_finding(make_finding("zip.broken-stream", Severity::medium, Verdict::suspicious,
                                 "format-anomaly",
                                 quoted(e.name) + " cannot be decompressed; it was not scanned",
                                 e.local_offset, sniff.error));
    return;
  }
  const std::uint64_t full = sniff.stop == DecompressStop::output_limit
                                 ? std::max<std::uint64_t>(e.uncompressed_size, sniff.data.size() + 1)
                                 : sniff.data.size();
  if (!worth_scanning(zip, e.name, sniff.data, full, ctx.limits())) return;
  ByteBuffer decoded;
  bool whole = false;
  if (sniff.stop == DecompressStop::complete) {
    // The sniff already decoded the whole member.
    if (!ctx.charge_decompressed(sniff.data.size())) return;
    decoded = std::move(sniff.data);
    whole = true;
  } else {
    auto d = decode_for_scan(codec, data, ctx, e.local_offset, quoted(e.name), "zip");
    if (!d) return;
    decoded = std::move(d->data);
    whole = d->whole;
  }
  if (whole) {
    check_size(e, decoded.size(), ctx);
    check_crc(e, decoded, ctx);
  }
  ctx.add_child(child_owned(zip, std::move(decoded), e.name));
}

// Methods we do not decode ourselves (lzma, zstd, xz, ppmd ...): ask libarchive for the
// member by name. PyTorch cannot load these, but other zip consumers can.
void scan_other_method(const Artifact& zip, const ZipEntry& e, ScanContext& ctx) {
  auto data = read_zip_member_with_libarchive(zip.bytes, e.name, ctx);
  if (!data) {
    ctx.add_finding(make_finding(
        "zip.unsupported-method", Severity::low, Verdict::unscannable, "coverage",
        quoted(e.name) + " uses compression method " + std::to_string(e.method) +
            " which could not be decoded; it was not scanned",
        e.local_offset, data.error().message));
    return;
  }
  if (data->empty()) return;
  Bytes view(*data);
  if (!worth_scanning(zip, e.name, view.first(std::min<std::size_t>(view.size(), kSniffSize)),
                      view.size(), ctx.limits()))
    return;
  ctx.add_child(child_owned(zip, std::move(*data), e.name));
}

class ZipHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "zip"; }

  // A zip starts with a local header (or, when empty, with its end record). A file that
  // starts with anything else and has a zip at its end is claimed by what its start is (a
  // pickle with an appended zip is a pickle to torch.load).
  bool accepts(const Artifact& a) const override {
    return starts_with(a.bytes, "PK\x03\x04") ||
           (a.bytes.size() >= 22 && starts_with(a.bytes, "PK\x05\x06"));
  }

  void scan(const Artifact& zip, ScanContext& ctx) const override {
    auto dir = read_zip_directory(zip.bytes, ctx.limits().max_members);
    if (!dir) {
      ctx.unscannable("zip: " + dir.error().message);
      return;
    }
    ctx.set_format(classify_zip(*dir));
    for (auto& f : dir->anomalies) ctx.add_finding(std::move(f));
    for (const ZipEntry& e : dir->entries) {
      if (!e.data_ok || e.is_directory()) continue;
      Bytes data = zip.bytes.subspan(e.data_offset, e.compressed_size);
      switch (e.method) {
        case kStored: scan_stored(zip, e, data, ctx); break;
        case kDeflate: scan_decoded(zip, e, Codec::raw_deflate, data, ctx); break;
        case kBzip2: scan_decoded(zip, e, Codec::bzip2, data, ctx); break;
        default: scan_other_method(zip, e, ctx); break;
      }
    }
  }
};

}  // namespace

const FormatHandler& zip_handler() {
  static const ZipHandler handler;
  return handler;
}

}  // namespace hubguard::scan
