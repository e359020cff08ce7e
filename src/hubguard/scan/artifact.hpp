// An Artifact is a run of bytes under scan plus where it came from: the file on disk itself,
// or a member found inside a container (possibly decompressed into a buffer this artifact
// keeps alive). Its `chain` records the path through containers, so every finding can say
// exactly which member it is about.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hubguard/core/bytes.hpp"

namespace hubguard::scan {

struct Artifact {
  Bytes bytes;
  // Owner of `bytes` when they are not a view into the mapped file (decompressed members).
  std::shared_ptr<const ByteBuffer> storage;
  // Member names from the file on disk inward; empty for the file itself.
  std::vector<std::string> chain;
  // The byte offset of this artifact inside its parent (0 for decompressed members).
  std::uint64_t offset_in_parent = 0;
  unsigned depth = 0;

  // "outer.tar!/inner.zip!/archive/data.pkl"; empty for the file itself.
  std::string member_path() const;
  // The last name in the chain, or the on-disk file name for the root; used only for the
  // extension-mismatch finding, never to decide the format.
  std::string name;
  // The file on disk when this artifact is that whole file (the root of scan_file); empty
  // for members and in-memory scans. Formats that name sibling files (ONNX external data)
  // use it to see where those names lead on disk, never to decide the format.
  std::string disk_path;
};

// A child artifact viewing a sub-range of `parent` (stored zip members, npy payloads ...).
Artifact child_view(const Artifact& parent, Bytes bytes, std::string member_name);
// A child artifact owning decompressed bytes.
Artifact child_owned(const Artifact& parent, ByteBuffer bytes, std::string member_name);

}  // namespace hubguard::scan
