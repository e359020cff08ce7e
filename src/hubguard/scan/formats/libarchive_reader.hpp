// Everything hubguard reads through libarchive, from memory: walking an archive (tar, 7z,
// rar, cpio, ar, cab, xar, iso9660), optionally behind a compression filter (a .tar.gz is
// streamed rather than inflated whole), one member of a zip whose compression method our
// own zip reader does not decode, and single-stream codecs we have no direct decoder for
// (zstd, lz4). Archives like tar and 7z must be read in order, so each member's first
// kSniffSize bytes decide whether the rest is read (member_sniff.hpp); uncompressed tar
// members are handed on as views into the file, without a copy.
#pragma once

#include <string>
#include <string_view>

#include "hubguard/core/bytes.hpp"
#include "hubguard/core/result.hpp"
#include "hubguard/scan/artifact.hpp"
#include "hubguard/scan/formats/decompress.hpp"
#include "hubguard/scan/scan_context.hpp"

namespace hubguard::scan {

enum class ArchiveKind { tar, sevenzip, rar, cpio, ar, cab, xar, iso9660 };

std::string_view to_string(ArchiveKind kind);

// Walks the archive in `artifact`, reporting limit hits, encrypted members and breakage to
// ctx and handing members worth scanning on as children. With `through_filters` the bytes
// may be compressed (gzip, bzip2, xz, lzma, zstd, lz4 ...) and are decoded as a stream.
void scan_archive(const Artifact& artifact, ScanContext& ctx, ArchiveKind kind,
                  bool through_filters);

// The decoded bytes of the first zip member called `name`, bounded by the limits and
// charged to the decompression budget.
Result<ByteBuffer> read_zip_member_with_libarchive(Bytes zip, const std::string& name,
                                                   ScanContext& ctx);

// Decodes a single compressed stream (zstd, lz4 ...) through libarchive's filters.
Decompressed decode_with_libarchive(Bytes input, const DecompressBounds& bounds);

}  // namespace hubguard::scan
