#include "hubguard/scan/formats/zip_reader.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "hubguard/core/byte_reader.hpp"
#include "hubguard/scan/scan_context.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

constexpr std::uint32_t kLocalSig = 0x04034b50;
constexpr std::uint32_t kCentralSig = 0x02014b50;
constexpr std::uint32_t kEocdSig = 0x06054b50;
constexpr std::uint32_t kZip64EocdSig = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSig = 0x07064b50;
constexpr std::size_t kEocdSize = 22;
constexpr std::size_t kCentralSize = 46;
constexpr std::size_t kLocalSize = 30;
constexpr std::size_t kMaxCommentSearch = 0xffff + kEocdSize;
constexpr std::size_t kMaxAnomaliesPerRule = 16;

std::uint32_t u32_at(Bytes b, std::size_t off) {
  ByteReader r(b, off);
  return r.u32le().value_or(0);
}

report::Finding anomaly(std::string rule, std::string message, std::uint64_t offset,
                        std::string evidence = {}) {
  return make_finding(std::move(rule), Severity::medium, Verdict::suspicious, "format-anomaly",
                      std::move(message), offset, std::move(evidence));
}

// Adds a finding, but at most kMaxAnomaliesPerRule per rule (a hostile directory can have
// a hundred thousand mismatching names) and then one summary.
class AnomalySink {
 public:
  explicit AnomalySink(std::vector<report::Finding>& out) : out_(out) {}
  void add(report::Finding f) {
    auto& n = counts_[f.rule];
    ++n;
    if (n <= kMaxAnomaliesPerRule) {
      out_.push_back(std::move(f));
    } else if (n == kMaxAnomaliesPerRule + 1) {
      f.message = "more " + f.rule + " anomalies follow; only the first " +
                  std::to_string(kMaxAnomaliesPerRule) + " are listed";
      f.evidence.clear();
      out_.push_back(std::move(f));
    }
  }

 private:
  std::vector<report::Finding>& out_;
  std::map<std::string, std::size_t> counts_;
};

// The end-of-central-directory record is the last thing in the file, followed only by a
// comment of at most 64 KiB; miniz searches backwards and takes the first it meets.
std::optional<std::size_t> find_eocd(Bytes file) {
  if (file.size() < kEocdSize) return std::nullopt;
  const std::size_t lowest = file.size() > kMaxCommentSearch ? file.size() - kMaxCommentSearch : 0;
  for (std::size_t pos = file.size() - kEocdSize + 1; pos-- > lowest;) {
    if (file[pos] == 'P' && u32_at(file, pos) == kEocdSig) return pos;
  }
  return std::nullopt;
}

struct DirectoryBounds {
  std::uint64_t entries = 0;
  std::uint64_t size = 0;
  std::uint64_t offset = 0;
  std::uint64_t end_record = 0;  // where the directory should end (zip64 record or EOCD)
  bool zip64 = false;
};

Result<DirectoryBounds> read_end_records(Bytes file, std::size_t eocd, AnomalySink& sink) {
  ByteReader r(file, eocd + 4);
  auto disk = r.u16le(), cd_disk = r.u16le(), disk_entries = r.u16le(), entries = r.u16le();
  auto cd_size = r.u32le(), cd_offset = r.u32le();
  if (!cd_offset) return make_error("zip end record is truncated");
  if (*disk != 0 || *cd_disk != 0)
    sink.add(anomaly("zip.multi-disk", "the end record claims a multi-disk archive; read as one disk",
                     eocd));
  (void)disk_entries;
  DirectoryBounds b{*entries, *cd_size, *cd_offset, eocd, false};

  // ZIP64: a locator right before the end record points at the zip64 end record.
  if (eocd >= 20 && u32_at(file, eocd - 20) == kZip64LocatorSig) {
    ByteReader loc(file, eocd - 20 + 8);
    std::uint64_t record = loc.u64le().value_or(UINT64_MAX);
    if (record > file.size() - 56 || u32_at(file, record) != kZip64EocdSig) {
      // Self-extracting stubs shift everything; the record sits right before the locator.
      std::uint64_t guess = eocd >= 20 + 56 ? eocd - 20 - 56 : UINT64_MAX;
      if (guess != UINT64_MAX && u32_at(file, guess) == kZip64EocdSig)
        record = guess;
      else
        return make_error("zip64 end record not found where the locator points");
    }
    ByteReader z(file, record + 24);
    auto z_disk_entries = z.u64le(), z_entries = z.u64le(), z_size = z.u64le(), z_offset = z.u64le();
    if (!z_offset) return make_error("zip64 end record is truncated");
    (void)z_disk_entries;
    // Use the 64-bit value where the 32/16-bit field is saturated (as the spec says); a
    // writer may also leave the small fields exact, in which case both agree.
    if (b.entries == 0xffff) b.entries = *z_entries;
    if (b.size == 0xffffffff) b.size = *z_size;
    if (b.offset == 0xffffffff) b.offset = *z_offset;
    b.end_record = record;
    b.zip64 = true;
  }
  return b;
}

// ZIP64 extended information (extra field 0x0001) holds, in order, only the values whose
// central-directory field is saturated.
void apply_zip64_extra(Bytes extra, ZipEntry& e, bool& disk_saturated) {
  ByteReader r(extra);
  while (r.remaining() >= 4) {
    std::uint16_t id = *r.u16le();
    std::uint16_t size = *r.u16le();
    auto body = r.bytes(size);
    if (!body) return;
    if (id != 0x0001) continue;
    ByteReader z(*body);
    if (e.uncompressed_size == 0xffffffff) e.uncompressed_size = z.u64le().value_or(e.uncompressed_size);
    if (e.compressed_size == 0xffffffff) e.compressed_size = z.u64le().value_or(e.compressed_size);
    if (e.local_offset == 0xffffffff) e.local_offset = z.u64le().value_or(e.local_offset);
    if (disk_saturated) disk_saturated = false;
    return;
  }
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 200)) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

void read_local_header(Bytes file, ZipEntry& e, AnomalySink& sink) {
  if (e.local_offset > file.size() || file.size() - e.local_offset < kLocalSize ||
      u32_at(file, e.local_offset) != kLocalSig) {
    sink.add(anomaly("zip.bad-offset",
                     "member '" + printable(e.name) +
                         "' points at no local header; its data was not scanned",
                     e.central_offset, "local header offset " + std::to_string(e.local_offset)));
    return;
  }
  ByteReader r(file, e.local_offset + 6);
  e.local_flags = *r.u16le();
  e.local_method = *r.u16le();
  r.skip(4 + 4 + 4 + 4);
  std::uint16_t name_len = *r.u16le();
  std::uint16_t extra_len = *r.u16le();
  auto local_name = r.text(name_len);
  if (!local_name || !r.skip(extra_len)) {
    sink.add(anomaly("zip.bad-offset",
                     "local header of '" + printable(e.name) + "' runs past the end of the file",
                     e.local_offset));
    return;
  }
  e.local_name = std::string(*local_name);
  e.data_offset = r.offset();
  if (e.compressed_size > file.size() - e.data_offset) {
    sink.add(anomaly("zip.bad-offset",
                     "data of '" + printable(e.name) + "' runs past the end of the file",
                     e.local_offset,
                     std::to_string(e.compressed_size) + " bytes at offset " +
                         std::to_string(e.data_offset)));
    return;
  }
  e.data_ok = true;
}

void check_entry(const ZipEntry& e, AnomalySink& sink) {
  if (e.local_name != e.name)
    sink.add(anomaly("zip.name-mismatch",
                     "local header names member '" + printable(e.local_name) +
                         "' but the central directory (which loaders follow) names it '" +
                         printable(e.name) + "'",
                     e.local_offset, "local: " + printable(e.local_name) + " central: " + printable(e.name)));
  if (((e.flags | e.local_flags) & 0x0041) != 0 || (e.flags & 0x2000) != 0)
    sink.add(anomaly("zip.encrypted-flag",
                     "member '" + printable(e.name) +
                         "' is flagged encrypted; loaders that ignore the flag read it as is, so it "
                         "was scanned as is",
                     e.local_offset,
                     fmt::format("flags central={:#06x} local={:#06x}", e.flags, e.local_flags)));
  if (e.method != e.local_method)
    sink.add(anomaly("zip.method-mismatch",
                     "member '" + printable(e.name) + "' has compression method " +
                         std::to_string(e.method) + " in the central directory but " +
                         std::to_string(e.local_method) + " in its local header",
                     e.local_offset));
}

void check_overlaps(const std::vector<ZipEntry>& entries, AnomalySink& sink) {
  std::vector<const ZipEntry*> order;
  for (const auto& e : entries)
    if (e.data_ok) order.push_back(&e);
  std::sort(order.begin(), order.end(), [](const ZipEntry* a, const ZipEntry* b) {
    return a->local_offset < b->local_offset;
  });
  std::uint64_t reach = 0;
  const ZipEntry* reach_owner = nullptr;
  for (const ZipEntry* e : order) {
    if (reach_owner != nullptr && e->local_offset < reach)
      sink.add(anomaly("zip.overlap",
                       "members '" + printable(reach_owner->name) + "' and '" + printable(e->name) +
                           "' overlap in the file (a zip bomb or polyglot technique)",
                       e->local_offset));
    std::uint64_t end = e->data_offset + e->compressed_size;
    if (end > reach) {
      reach = end;
      reach_owner = e;
    }
  }
}

}  // namespace

Result<ZipDirectory> read_zip_directory(Bytes file, std::uint64_t max_entries) {
  ZipDirectory dir;
  AnomalySink sink(dir.anomalies);
  auto eocd = find_eocd(file);
  if (!eocd) return make_error("no zip end-of-central-directory record");
  auto bounds = read_end_records(file, *eocd, sink);
  if (!bounds) return bounds.error();
  dir.zip64 = bounds->zip64;

  // Data prepended to the archive (a stub) shifts every offset by the same amount.
  std::uint64_t cd_offset = bounds->offset;
  if (cd_offset > file.size() || u32_at(file, cd_offset) != kCentralSig) {
    if (bounds->end_record >= bounds->size) {
      std::uint64_t actual = bounds->end_record - bounds->size;
      if (actual > cd_offset && actual < file.size() && u32_at(file, actual) == kCentralSig) {
        dir.prefix_bytes = actual - cd_offset;
        cd_offset = actual;
        sink.add(anomaly("zip.prefixed-data",
                         std::to_string(dir.prefix_bytes) +
                             " bytes precede the zip archive; offsets were shifted to read it",
                         0));
      }
    }
    if (dir.prefix_bytes == 0 && bounds->entries > 0)
      return make_error("zip central directory not found at offset " + std::to_string(cd_offset));
  }

  std::uint64_t wanted = bounds->entries;
  if (wanted > max_entries) {
    dir.anomalies.push_back(make_finding(
        "limit.members", Severity::medium, Verdict::unscannable, "limit",
        "the zip lists " + std::to_string(wanted) + " members; only the first " +
            std::to_string(max_entries) + " were read",
        *eocd));
    wanted = max_entries;
  }

  ByteReader r(file, cd_offset);
  std::set<std::string> names;
  for (std::uint64_t i = 0; i < wanted; ++i) {
    const std::uint64_t here = r.offset();
    if (r.remaining() < kCentralSize || u32_at(file, here) != kCentralSig) {
      sink.add(anomaly("zip.truncated-directory",
                       "the central directory holds " + std::to_string(i) + " records but the end record says " +
                           std::to_string(bounds->entries),
                       here));
      break;
    }
    r.skip(8);
    ZipEntry e;
    e.central_offset = here;
    e.flags = *r.u16le();
    e.method = *r.u16le();
    r.skip(4);
    e.crc32 = *r.u32le();
    e.compressed_size = *r.u32le();
    e.uncompressed_size = *r.u32le();
    std::uint16_t name_len = *r.u16le(), extra_len = *r.u16le(), comment_len = *r.u16le();
    bool disk_saturated = *r.u16le() == 0xffff;
    r.skip(2 + 4);
    e.local_offset = *r.u32le();
    auto name = r.text(name_len);
    auto extra = r.bytes(extra_len);
    if (!name || !extra || !r.skip(comment_len)) {
      sink.add(anomaly("zip.truncated-directory", "a central directory record runs past the end of the file",
                       here));
      break;
    }
    e.name = std::string(*name);
    apply_zip64_extra(*extra, e, disk_saturated);
    if (e.local_offset <= UINT64_MAX - dir.prefix_bytes) e.local_offset += dir.prefix_bytes;
    if (!names.insert(e.name).second)
      sink.add(anomaly("zip.duplicate-name",
                       "two members are named '" + printable(e.name) +
                           "'; loaders disagree on which one they read, so both were scanned",
                       here));
    read_local_header(file, e, sink);
    if (e.data_ok) check_entry(e, sink);
    dir.entries.push_back(std::move(e));
  }
  check_overlaps(dir.entries, sink);
  return dir;
}

namespace {
// A Keras 3 `.keras` archive: config.json, metadata.json and model.weights.h5 (or .npz) at
// the top, and nothing else but an optional assets/ folder.
bool keras_v3_layout(const ZipDirectory& dir) {
  bool config = false, metadata = false, weights = false;
  for (const auto& e : dir.entries) {
    const std::string& n = e.name;
    if (n == "config.json") config = true;
    else if (n == "metadata.json") metadata = true;
    else if (n == "model.weights.h5" || n == "model.weights.npz") weights = true;
    else if (n.rfind("assets/", 0) != 0) return false;
  }
  return config && metadata && weights;
}
}  // namespace

std::string classify_zip(const ZipDirectory& dir) {
  auto ends_with = [](std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
  };
  // The archive's top folder ("archive/", or the file's stem): torch writes every member
  // under one, and looks members up as "<top>/<record>".
  auto top = [](std::string_view s) -> std::string_view {
    auto slash = s.find('/');
    return slash == std::string_view::npos ? std::string_view{} : s.substr(0, slash);
  };
  bool has_code = false, has_constants = false, has_data_pkl = false;
  std::set<std::string, std::less<>> data_dirs, version_dirs;
  bool all_npy = true;
  std::size_t files = 0;
  for (const auto& e : dir.entries) {
    std::string_view n = e.name;
    if (e.is_directory()) continue;
    ++files;
    if (!ends_with(n, ".npy")) all_npy = false;
    std::string_view t = top(n);
    std::string_view rest = t.empty() ? n : n.substr(t.size() + 1);
    if (rest.rfind("code/", 0) == 0) has_code = true;
    if (rest == "constants.pkl") has_constants = true;
    if (rest == "data.pkl") has_data_pkl = true;
    if (rest.rfind("data/", 0) == 0) data_dirs.insert(std::string(t));
    if (rest == "version" || rest == ".data/version") version_dirs.insert(std::string(t));
  }
  if (has_code && has_constants) return "torchscript";
  if (has_data_pkl) return "pytorch-zip";
  for (const auto& d : data_dirs)
    if (version_dirs.count(d) != 0) return "pytorch-zip";
  if (files > 0 && all_npy) return "numpy-npz";
  if (keras_v3_layout(dir)) return "keras-v3";
  return "zip";
}

}  // namespace hubguard::scan
