// The one place hubguard calls libhdf5. An HDF5 file is opened from the bytes already in
// memory (the mapped file or a container member) as a read-only file image that libhdf5
// neither copies nor frees, so a 2 GB weights file costs the pages of its superblock and
// root group, never its datasets. Only root-group attributes are read: Keras keeps its
// model and training configs there.
//
// libhdf5 1.10 crashes on some malformed files (a corrupt global heap makes H5Aread copy
// past its buffer; the CVE list is long), and the superblock checks cannot rule that out.
// So every libhdf5 call on a file runs in a forked child that writes its answer to a pipe
// and exits: a crash or a stall (killed after kHdf5Timeout) becomes an Error for this file,
// never the scanner's death. The parent only initialises libhdf5 once (so children start
// warm) and never opens a file with it: scans on several threads share no file state. In
// the child, error printing is silenced (failures come back with libhdf5's innermost
// reason) and filter-plugin loading is off: nothing here reads filtered data, and a plugin
// is code from disk.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/core/bytes.hpp"
#include "hubguard/core/result.hpp"

namespace hubguard::scan {

struct Hdf5StringAttribute {
  std::string name;
  std::string value;  // the string's bytes, trailing NULs of fixed-length strings removed
};

struct Hdf5RootAttributes {
  std::vector<std::string> names;            // every root attribute (at most kMaxHdf5Attributes)
  std::vector<Hdf5StringAttribute> strings;  // the requested ones that exist, in request order
};

inline constexpr std::size_t kMaxHdf5Attributes = 4096;
inline constexpr std::chrono::milliseconds kHdf5Timeout{10'000};

// Opens `image` (an HDF5 file, user block included) and reads the root attributes named in
// `wanted` as strings (fixed or variable length, scalar or a single element). An attribute
// that is not a string, or larger than `max_attribute_size` bytes, is an error.
// A libhdf5 that has not answered after `timeout` is killed (libhdf5 1.10 loops forever on
// some corrupt files).
Result<Hdf5RootAttributes> read_hdf5_root_attributes(Bytes image, std::span<const std::string_view> wanted,
                                                     std::uint64_t max_attribute_size,
                                                     std::chrono::milliseconds timeout = kHdf5Timeout);

}  // namespace hubguard::scan
