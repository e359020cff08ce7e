#include "hubguard/scan/formats/hdf5_superblock.hpp"

#include <string>

namespace hubguard::scan {
namespace {

constexpr std::uint64_t kFirstUserBlock = 512;

std::uint64_t read_le(Bytes b, std::size_t at, unsigned width) {
  std::uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) v |= static_cast<std::uint64_t>(b[at + i]) << (8 * i);
  return v;
}

bool undefined_address(Bytes b, std::size_t at, unsigned width) {
  for (unsigned i = 0; i < width; ++i)
    if (b[at + i] != 0xFF) return false;
  return true;
}

}  // namespace

std::optional<std::uint64_t> find_hdf5_signature(Bytes data) {
  // At most ~log2(size) probes, one page each: cheap enough for every artifact.
  for (std::uint64_t at = 0; at + kHdf5Signature.size() <= data.size() && at < (1ULL << 62);
       at = at == 0 ? kFirstUserBlock : at * 2) {
    if (as_text(data.subspan(at, kHdf5Signature.size())) == kHdf5Signature) return at;
  }
  return std::nullopt;
}

Result<Hdf5Superblock> check_hdf5_superblock(Bytes data, std::uint64_t offset) {
  if (offset > data.size()) return make_error("signature beyond the end of the file");
  const Bytes sb = data.subspan(offset);
  Hdf5Superblock out;
  out.offset = offset;
  if (sb.size() < 12) return make_error("truncated inside the superblock");
  out.version = sb[8];
  std::size_t at = 0;  // where base address, ..., end-of-file address start
  std::size_t eof_field = 0, driver_field = 0;
  if (out.version <= 1) {
    // v0/v1: sig, 4 version bytes, reserved, offset and length sizes, reserved, group K
    // values (2+2), flags (4), v1 only: indexed storage K (2) + reserved (2); then base,
    // free-space, end-of-file and driver-info addresses.
    if (sb.size() < 16) return make_error("truncated inside the superblock");
    out.offset_size = sb[13];
    out.length_size = sb[14];
    at = out.version == 0 ? 24 : 28;
    eof_field = at + 2 * out.offset_size;
    driver_field = at + 3 * out.offset_size;
  } else if (out.version <= 3) {
    // v2/v3: sig, version, offset and length sizes, flags; then base, superblock extension,
    // end-of-file and root object header addresses, checksum.
    out.offset_size = sb[9];
    out.length_size = sb[10];
    at = 12;
    eof_field = at + 2 * out.offset_size;
  } else {
    return make_error("unknown superblock version " + std::to_string(out.version));
  }
  for (unsigned width : {out.offset_size, out.length_size})
    if (width != 2 && width != 4 && width != 8)
      return make_error("superblock gives an address or length width of " + std::to_string(width) +
                        " bytes (2, 4 or 8 are valid)");
  const std::size_t needed = (driver_field ? driver_field : eof_field) + out.offset_size;
  if (sb.size() < needed) return make_error("truncated inside the superblock");
  if (driver_field && !undefined_address(sb, driver_field, out.offset_size))
    return make_error("the superblock names a file driver (family, multi or split files): "
                      "an HDF5 file spread over several files is not scanned");
  // libhdf5 compares the stored end of file with the whole file's size (user block
  // included), and so do we.
  out.end_of_file = read_le(sb, eof_field, out.offset_size);
  if (out.end_of_file > data.size())
    return make_error("truncated: the superblock says the file has " + std::to_string(out.end_of_file) +
                      " bytes, there are " + std::to_string(data.size()));
  return out;
}

}  // namespace hubguard::scan
