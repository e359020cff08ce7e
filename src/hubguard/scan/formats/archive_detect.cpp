#include "hubguard/scan/formats/archive_detect.hpp"

namespace hubguard::scan {
namespace {

bool has_at(Bytes b, std::size_t offset, std::string_view magic) {
  return b.size() >= offset + magic.size() && as_text(b.subspan(offset, magic.size())) == magic;
}

// Parses a NUL/space-terminated octal field; nullopt if it holds anything else.
std::optional<std::uint64_t> octal_field(Bytes field) {
  std::uint64_t v = 0;
  bool digits = false, ended = false;
  for (std::uint8_t c : field) {
    if (c >= '0' && c <= '7' && !ended) {
      v = v * 8 + (c - '0');
      digits = true;
    } else if (c == ' ' || c == 0) {
      if (digits) ended = true;
    } else {
      return std::nullopt;
    }
  }
  if (!digits) return std::nullopt;
  return v;
}

}  // namespace

bool looks_like_tar(Bytes b) {
  if (b.size() < 512) return false;
  if (has_at(b, 257, std::string_view("ustar\0", 6)) || has_at(b, 257, "ustar  ")) return true;
  // v7 tar has no magic: require a name, and a checksum that matches the header (the sum
  // of its bytes with the checksum field counted as spaces).
  if (b[0] == 0) return false;
  auto stored = octal_field(b.subspan(148, 8));
  if (!stored) return false;
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : b[i];
  return sum == *stored && octal_field(b.subspan(124, 12)).has_value();
}

std::optional<ArchiveKind> detect_archive(Bytes b) {
  if (has_at(b, 0, "7z\xBC\xAF\x27\x1C")) return ArchiveKind::sevenzip;
  if (has_at(b, 0, "Rar!\x1A\x07")) return ArchiveKind::rar;
  if (has_at(b, 0, "!<arch>\n")) return ArchiveKind::ar;
  if (has_at(b, 0, std::string_view("MSCF\0\0\0\0", 8))) return ArchiveKind::cab;
  if (has_at(b, 0, "xar!")) return ArchiveKind::xar;
  if (has_at(b, 0, "070707") || has_at(b, 0, "070701") || has_at(b, 0, "070702") ||
      has_at(b, 0, "\xC7\x71") || has_at(b, 0, "\x71\xC7"))
    return ArchiveKind::cpio;
  if (looks_like_tar(b)) return ArchiveKind::tar;
  if (has_at(b, 32769, "CD001")) return ArchiveKind::iso9660;
  return std::nullopt;
}

}  // namespace hubguard::scan
