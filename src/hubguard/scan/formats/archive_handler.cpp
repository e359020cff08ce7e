// Archive handlers over libarchive: "tar" (ustar, GNU, pax and old v7 headers), "7z", and
// "archive" for the rest libarchive reads (rar, cpio, ar, cab, xar, iso9660), which refines
// its format name to the kind. Zip is not here: our own reader handles it (zip_handler.cpp)
// because it must read exactly what PyTorch reads. Recognition is by magic bytes only.
#include <optional>

#include "hubguard/scan/formats/archive_detect.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/libarchive_reader.hpp"

namespace hubguard::scan {
namespace {

class ArchiveHandler final : public FormatHandler {
 public:
  // `only` restricts the handler to one kind; nullopt accepts every kind not listed before.
  ArchiveHandler(std::string_view name, std::optional<ArchiveKind> only)
      : name_(name), only_(only) {}

  std::string_view name() const override { return name_; }

  bool accepts(const Artifact& a) const override {
    auto kind = detect_archive(a.bytes);
    if (!kind) return false;
    if (only_) return *kind == *only_;
    return *kind != ArchiveKind::tar && *kind != ArchiveKind::sevenzip;
  }

  void scan(const Artifact& a, ScanContext& ctx) const override {
    auto kind = detect_archive(a.bytes);
    if (!kind) return;
    if (!only_) ctx.set_format(std::string(to_string(*kind)));
    scan_archive(a, ctx, *kind, /*through_filters=*/false);
  }

 private:
  std::string_view name_;
  std::optional<ArchiveKind> only_;
};

}  // namespace

const FormatHandler& tar_handler() {
  static const ArchiveHandler handler("tar", ArchiveKind::tar);
  return handler;
}

const FormatHandler& sevenzip_handler() {
  static const ArchiveHandler handler("7z", ArchiveKind::sevenzip);
  return handler;
}

const FormatHandler& other_archive_handler() {
  static const ArchiveHandler handler("archive", std::nullopt);
  return handler;
}

}  // namespace hubguard::scan
