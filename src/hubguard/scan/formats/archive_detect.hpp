// Recognising archive formats by their magic bytes (and, for old tar headers without a
// magic, by the header checksum), so that detection never depends on a file name.
#pragma once

#include <optional>

#include "hubguard/core/bytes.hpp"
#include "hubguard/scan/formats/libarchive_reader.hpp"

namespace hubguard::scan {

std::optional<ArchiveKind> detect_archive(Bytes bytes);

// A 512-byte tar header (ustar/GNU magic, or a v7 header whose checksum matches).
bool looks_like_tar(Bytes bytes);

}  // namespace hubguard::scan
