#include "hubguard/scan/formats/libarchive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>

#include "hubguard/scan/formats/member_sniff.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

std::string error_of(archive* a) {
  const char* s = archive_error_string(a);
  return s != nullptr ? s : "unknown libarchive error";
}

void enable_format(archive* a, ArchiveKind kind) {
  switch (kind) {
    case ArchiveKind::tar: archive_read_support_format_tar(a); break;
    case ArchiveKind::sevenzip: archive_read_support_format_7zip(a); break;
    case ArchiveKind::rar:
      archive_read_support_format_rar(a);
      archive_read_support_format_rar5(a);
      break;
    case ArchiveKind::cpio: archive_read_support_format_cpio(a); break;
    case ArchiveKind::ar: archive_read_support_format_ar(a); break;
    case ArchiveKind::cab: archive_read_support_format_cab(a); break;
    case ArchiveKind::xar: archive_read_support_format_xar(a); break;
    case ArchiveKind::iso9660: archive_read_support_format_iso9660(a); break;
  }
}

// Output accounting for one archive walk: caps each member, watches the overall expansion
// ratio (7z and filtered streams compress across members), and charges the budget.
struct Walk {
  archive* a;
  ScanContext& ctx;
  bool charge;                 // bytes are decompressed (not views of a plain tar)
  std::uint64_t produced = 0;  // all decoded bytes, sniffed ones included
  bool stopped = false;        // a bomb or spent budget ends the whole walk
  // The unconsumed rest of the last data block (valid until the next libarchive call): a
  // block can be larger than what a sniff takes.
  const std::uint8_t* pending = nullptr;
  std::size_t pending_size = 0;
  std::uint64_t pending_offset = 0;

  void new_entry() {
    pending = nullptr;
    pending_size = 0;
    pending_offset = 0;
  }

  bool ratio_exceeded() const {
    const double ratio = ctx.limits().max_compression_ratio;
    if (ratio <= 0 || produced <= (1ULL << 20)) return false;
    const auto consumed = std::max<la_int64_t>(archive_filter_bytes(a, -1), 1);
    return static_cast<double>(produced) > ratio * static_cast<double>(consumed);
  }
};

enum class ReadEnd { eof, cap, error, bomb };

// Appends the current entry's data blocks to `buf` until it holds `cap` bytes (or the entry
// ends). Sparse holes are zero-filled, as an extractor would write them.
ReadEnd read_blocks(Walk& w, ByteBuffer& buf, std::uint64_t cap, std::string& err) {
  for (;;) {
    if (buf.size() >= cap) return ReadEnd::cap;
    if (w.pending_size == 0) {
      const void* p = nullptr;
      std::size_t n = 0;
      la_int64_t off = 0;
      int rc = archive_read_data_block(w.a, &p, &n, &off);
      if (rc == ARCHIVE_EOF) return ReadEnd::eof;
      if (rc < ARCHIVE_WARN) {
        err = error_of(w.a);
        return ReadEnd::error;
      }
      w.pending = static_cast<const std::uint8_t*>(p);
      w.pending_size = p != nullptr ? n : 0;
      w.pending_offset = off < 0 ? 0 : static_cast<std::uint64_t>(off);
      w.produced += n;
      if (w.ratio_exceeded()) return ReadEnd::bomb;
      if (w.pending_size == 0) continue;
    }
    if (w.pending_offset > buf.size())  // a sparse hole
      buf.resize(static_cast<std::size_t>(std::min<std::uint64_t>(w.pending_offset, cap)), 0);
    if (buf.size() >= cap) return ReadEnd::cap;
    const std::size_t take =
        static_cast<std::size_t>(std::min<std::uint64_t>(w.pending_size, cap - buf.size()));
    buf.insert(buf.end(), w.pending, w.pending + take);
    w.pending += take;
    w.pending_size -= take;
    w.pending_offset = buf.size();
  }
}

void report_bomb(Walk& w, const std::string& label) {
  w.ctx.add_finding(make_finding(
      "limit.compression-ratio", Severity::medium, Verdict::unscannable, "limit",
      label + " expands more than " +
          std::to_string(static_cast<long long>(w.ctx.limits().max_compression_ratio)) +
          "x (a decompression bomb); the rest was not scanned",
      0,
      std::to_string(archive_filter_bytes(w.a, -1)) + " input bytes gave " +
          std::to_string(w.produced) + " bytes"));
  w.stopped = true;
}

// One regular-file entry: sniff, then read whole (or view) if worth scanning.
void scan_entry(Walk& w, const Artifact& parent, archive_entry* entry, const std::string& name,
                bool views_possible, const std::string& label) {
  const bool size_known = archive_entry_size_is_set(entry) != 0;
  const std::uint64_t size =
      size_known ? static_cast<std::uint64_t>(std::max<la_int64_t>(archive_entry_size(entry), 0))
                 : UINT64_MAX;
  if (size_known && size == 0) return;
  ByteBuffer buf;

  // Plain tar in memory: the data are contiguous in the file and libarchive hands out
  // pointers into our buffer, so the member is a view and is never copied.
  if (views_possible && size_known && archive_entry_sparse_count(entry) == 0) {
    const void* p = nullptr;
    std::size_t n = 0;
    la_int64_t off = 0;
    int rc = archive_read_data_block(w.a, &p, &n, &off);
    const auto* first = static_cast<const std::uint8_t*>(p);
    const auto* begin = parent.bytes.data();
    const auto* end = begin + parent.bytes.size();
    if (rc >= ARCHIVE_WARN && rc != ARCHIVE_EOF && off == 0 && first >= begin && first < end &&
        size <= static_cast<std::uint64_t>(end - first)) {
      Bytes data(first, static_cast<std::size_t>(size));
      if (worth_scanning(parent, name, data.first(std::min<std::size_t>(data.size(), kSniffSize)),
                         size, w.ctx.limits()))
        w.ctx.add_child(child_view(parent, data, name));
      return;
    }
    if (rc < ARCHIVE_WARN) {
      w.ctx.unscannable(label + ": " + error_of(w.a) + " in member '" + name + "'");
      w.stopped = true;
      return;
    }
    if (rc == ARCHIVE_EOF) return;
    // Not a view after all (not expected for a plain tar): copy, starting with this block.
    w.pending = first;
    w.pending_size = first != nullptr ? n : 0;
    w.pending_offset = off < 0 ? 0 : static_cast<std::uint64_t>(off);
    w.produced += n;
  }

  std::string err;
  ReadEnd end = read_blocks(w, buf, kSniffSize, err);
  if (end == ReadEnd::bomb) return report_bomb(w, label);
  const std::uint64_t full = end == ReadEnd::cap ? std::max<std::uint64_t>(size, kSniffSize + 1)
                                                 : buf.size();
  if (end != ReadEnd::error && !worth_scanning(parent, name, buf, full, w.ctx.limits())) return;
  const auto& limits = w.ctx.limits();
  const std::uint64_t cap = std::min(limits.max_member_size, limits.max_scanned_member_size);
  if (end == ReadEnd::cap) {
    end = read_blocks(w, buf, cap, err);
    if (end == ReadEnd::bomb) return report_bomb(w, label);
  }
  if (w.charge && !w.ctx.charge_decompressed(buf.size())) {
    w.stopped = true;
    return;
  }
  if (end == ReadEnd::cap && (!size_known || size > cap)) {
    w.ctx.add_finding(make_finding("limit.member-size", Severity::low, Verdict::unscannable,
                                   "limit",
                                   "member '" + name + "' is larger than " + std::to_string(cap) +
                                       " bytes; only the first " + std::to_string(cap) +
                                       " were scanned"));
  }
  if (end == ReadEnd::error) {
    w.ctx.add_finding(make_finding("archive.broken-member", Severity::medium, Verdict::suspicious,
                                   "format-anomaly",
                                   "member '" + name + "' could not be read to its end; the " +
                                       std::to_string(buf.size()) + " bytes before were scanned",
                                   0, err));
    w.ctx.unscannable(label + ": " + err + " in member '" + name + "'");
    w.stopped = true;
  }
  if (!buf.empty()) w.ctx.add_child(child_owned(parent, std::move(buf), name));
}

}  // namespace

std::string_view to_string(ArchiveKind kind) {
  switch (kind) {
    case ArchiveKind::tar: return "tar";
    case ArchiveKind::sevenzip: return "7z";
    case ArchiveKind::rar: return "rar";
    case ArchiveKind::cpio: return "cpio";
    case ArchiveKind::ar: return "ar";
    case ArchiveKind::cab: return "cab";
    case ArchiveKind::xar: return "xar";
    case ArchiveKind::iso9660: return "iso9660";
  }
  return "archive";
}

void scan_archive(const Artifact& artifact, ScanContext& ctx, ArchiveKind kind,
                  bool through_filters) {
  const std::string label(to_string(kind));
  ArchivePtr a(archive_read_new());
  if (!a) {
    ctx.unscannable(label + ": libarchive could not be initialised");
    return;
  }
  enable_format(a.get(), kind);
  if (through_filters) archive_read_support_filter_all(a.get());
  if (archive_read_open_memory(a.get(), artifact.bytes.data(), artifact.bytes.size()) !=
      ARCHIVE_OK) {
    ctx.unscannable(label + ": " + error_of(a.get()));
    return;
  }
  const bool views = kind == ArchiveKind::tar && !through_filters;
  Walk w{a.get(), ctx, !views};
  std::uint64_t count = 0;
  int retries = 0;
  while (!w.stopped) {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc == ARCHIVE_RETRY && ++retries < 16) continue;
    if (rc < ARCHIVE_WARN) {
      ctx.unscannable(label + ": " + error_of(a.get()) + " (after " + std::to_string(count) +
                      " members)");
      break;
    }
    if (++count > ctx.limits().max_members) {
      ctx.add_finding(make_finding("limit.members", Severity::medium, Verdict::unscannable, "limit",
                                   "the " + label + " archive has more than " +
                                       std::to_string(ctx.limits().max_members) +
                                       " members; the rest were not scanned"));
      break;
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* path = archive_entry_pathname_utf8(entry);
    if (path == nullptr) path = archive_entry_pathname(entry);
    std::string name = path != nullptr ? path : "member-" + std::to_string(count);
    if (archive_entry_is_data_encrypted(entry)) {
      ctx.add_finding(make_finding("archive.encrypted", Severity::medium, Verdict::unscannable,
                                   "coverage",
                                   "member '" + name + "' of the " + label +
                                       " archive is encrypted; it was not scanned"));
      continue;
    }
    w.new_entry();
    scan_entry(w, artifact, entry, name, views, label);
  }
}

Result<ByteBuffer> read_zip_member_with_libarchive(Bytes zip, const std::string& name,
                                                   ScanContext& ctx) {
  ArchivePtr a(archive_read_new());
  if (!a) return make_error("libarchive could not be initialised");
  archive_read_support_format_zip_seekable(a.get());
  if (archive_read_open_memory(a.get(), zip.data(), zip.size()) != ARCHIVE_OK)
    return make_error(error_of(a.get()));
  Walk w{a.get(), ctx, true};
  for (std::uint64_t i = 0; i < ctx.limits().max_members; ++i) {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) return make_error(error_of(a.get()));
    const char* path = archive_entry_pathname(entry);
    if (path == nullptr || name != path) continue;
    ByteBuffer buf;
    std::string err;
    w.new_entry();
    const auto& limits = ctx.limits();
    const std::uint64_t cap = std::min(limits.max_member_size, limits.max_scanned_member_size);
    ReadEnd end = read_blocks(w, buf, cap, err);
    if (end == ReadEnd::bomb) return make_error("decompression bomb (ratio limit)");
    if (end == ReadEnd::error) return make_error(err);
    if (!ctx.charge_decompressed(buf.size())) return make_error("decompression budget spent");
    return buf;
  }
  return make_error("libarchive did not find the member");
}

Decompressed decode_with_libarchive(Bytes input, const DecompressBounds& bounds) {
  Decompressed out;
  ArchivePtr a(archive_read_new());
  archive_read_support_format_raw(a.get());
  archive_read_support_filter_all(a.get());
  archive_entry* entry = nullptr;
  if (archive_read_open_memory(a.get(), input.data(), input.size()) != ARCHIVE_OK ||
      archive_read_next_header(a.get(), &entry) < ARCHIVE_WARN) {
    out.stop = DecompressStop::corrupt;
    out.error = error_of(a.get());
    return out;
  }
  std::uint64_t used = 0;
  for (;;) {
    if (bounds.max_ratio > 0 && used > bounds.ratio_floor &&
        static_cast<double>(used) > bounds.max_ratio * static_cast<double>(std::max<std::size_t>(input.size(), 1))) {
      out.stop = DecompressStop::ratio_limit;
      break;
    }
    if (used >= bounds.max_output) {
      out.stop = DecompressStop::output_limit;
      break;
    }
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(bounds.max_output - used, 256 * 1024));
    out.data.resize(used + want);
    la_ssize_t n = archive_read_data(a.get(), out.data.data() + used, want);
    if (n < 0) {
      out.data.resize(used);
      // libarchive reports a cut-off stream as a read error too; both mean "stopped early".
      out.stop = DecompressStop::truncated;
      out.error = error_of(a.get());
      return out;
    }
    used += static_cast<std::uint64_t>(n);
    out.data.resize(used);
    if (n == 0) {
      out.stop = DecompressStop::complete;
      break;
    }
  }
  out.input_used = static_cast<std::uint64_t>(std::max<la_int64_t>(archive_filter_bytes(a.get(), -1), 0));
  return out;
}

}  // namespace hubguard::scan
