// Parsing the header of a NumPy .npy file without evaluating it: magic "\x93NUMPY", a
// version (1.0, 2.0, 3.0), a header length, then a Python dict literal with 'descr',
// 'fortran_order' and 'shape'. The literal is read by a small bounded parser of the subset
// NumPy writes (dicts, lists, tuples, strings, ints, booleans, None), never by Python.
// What matters for security is whether the dtype holds Python objects: then the payload is
// a pickle that numpy.load(allow_pickle=True) unpickles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hubguard/core/bytes.hpp"
#include "hubguard/core/result.hpp"

namespace hubguard::scan {

inline constexpr std::size_t kMaxNpyHeader = 1U << 20;

struct NpyHeader {
  unsigned major = 0;
  unsigned minor = 0;
  std::size_t data_offset = 0;     // where the array payload starts
  std::string descr;               // the descr as written (for evidence)
  bool has_object = false;         // the dtype (or a field of it) is 'O'
  std::optional<std::uint64_t> itemsize;  // bytes per element when computable
  bool fortran_order = false;
  std::vector<std::uint64_t> shape;
  std::optional<std::uint64_t> payload_size() const;  // itemsize * prod(shape), if known
};

Result<NpyHeader> parse_npy_header(Bytes file);

inline bool has_npy_magic(Bytes b) { return b.size() >= 8 && starts_with(b, "\x93NUMPY"); }

}  // namespace hubguard::scan
