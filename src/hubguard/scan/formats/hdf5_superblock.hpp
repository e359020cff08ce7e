// The cheap structural checks hubguard makes on an HDF5 file before libhdf5 sees it. HDF5
// puts its superblock at offset 0 or after a user block, at 512, 1024, 2048 ... bytes (the
// library itself searches every power of two up to the end of the file, so we do too: a
// file h5py would open must never escape detection behind a large user block). The
// superblock states the file's size and the width of its addresses; a file shorter than
// it claims (truncated) or one that needs another file driver (family, multi, split:
// several files on disk) is refused here with a clear reason, so libhdf5 only ever parses
// bytes that at least agree with their own header. Pure byte parsing, no libhdf5.
#pragma once

#include <cstdint>
#include <optional>

#include "hubguard/core/bytes.hpp"
#include "hubguard/core/result.hpp"

namespace hubguard::scan {

inline constexpr std::string_view kHdf5Signature{"\x89HDF\r\n\x1a\n", 8};

// The offset of the first HDF5 signature at 0, 512, 1024, 2048 ... within `data`.
std::optional<std::uint64_t> find_hdf5_signature(Bytes data);

struct Hdf5Superblock {
  std::uint64_t offset = 0;          // where the signature is (= the user block's size)
  unsigned version = 0;              // superblock version 0-3
  unsigned offset_size = 8;          // bytes per file address
  unsigned length_size = 8;          // bytes per length
  std::uint64_t end_of_file = 0;     // the file's stated size (user block included)
};

// Parses and validates the superblock at `offset`: known version, address widths of 2, 4
// or 8 bytes, no external file driver, and a stated end of file within `data`.
Result<Hdf5Superblock> check_hdf5_superblock(Bytes data, std::uint64_t offset);

}  // namespace hubguard::scan
