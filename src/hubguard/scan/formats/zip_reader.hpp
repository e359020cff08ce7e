// A tolerant zip directory reader that reads what PyTorch's loader (miniz) reads: it follows
// the central directory (ZIP64 included), takes each member's data offset from its local
// header, and keeps going past the things a strict reader would stop at (local names that
// differ from the central directory, 'encrypted' flag bits on stored data, overlapping
// members). Each such oddity is returned as a finding; the caller scans the data anyway,
// because the loader would load it. Only the directory and local headers are touched here,
// never member data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hubguard/core/bytes.hpp"
#include "hubguard/core/result.hpp"
#include "hubguard/report/finding.hpp"

namespace hubguard::scan {

struct ZipEntry {
  std::string name;        // from the central directory: what loaders look members up by
  std::string local_name;  // from the local header
  std::uint16_t flags = 0;         // central directory general-purpose flags
  std::uint16_t local_flags = 0;
  std::uint16_t method = 0;        // central directory compression method
  std::uint16_t local_method = 0;
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint64_t central_offset = 0;  // of its central directory record
  std::uint64_t local_offset = 0;    // of its local header (prefix-adjusted)
  std::uint64_t data_offset = 0;     // of its data; meaningful when data_ok
  bool data_ok = false;              // local header readable and data within the file

  bool is_directory() const { return !name.empty() && name.back() == '/'; }
  bool encrypted() const { return ((flags | local_flags) & 0x0001) != 0; }
};

struct ZipDirectory {
  std::vector<ZipEntry> entries;
  std::vector<report::Finding> anomalies;  // zip.* and limit.* findings, offsets in the file
  bool zip64 = false;
  std::uint64_t prefix_bytes = 0;  // bytes before the archive start (self-extracting stubs)
};

// Reads the directory of the zip in `file`. An error means there is no usable central
// directory (no end record, directory out of range); anything less is an anomaly.
Result<ZipDirectory> read_zip_directory(Bytes file, std::uint64_t max_entries);

// The content-derived flavour of a zip from its member names (the directory is content):
// "torchscript", "pytorch-zip", "numpy-npz", "keras-v3" or "zip".
std::string classify_zip(const ZipDirectory& dir);

}  // namespace hubguard::scan
