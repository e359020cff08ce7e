#include "hubguard/stars/store_manifest.hpp"

#include <isa-l.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "hubguard/core/mapped_file.hpp"
#include "hubguard/stars/binary_io.hpp"

namespace hubguard::stars {
namespace {
constexpr char kMagic[8] = {'H', 'G', 'S', 'T', 'O', 'R', 'E', '1'};
constexpr std::uint64_t kMaxEntries = std::uint64_t{1} << 26;  // bounds hostile counts
}  // namespace

std::filesystem::path manifest_path(const std::filesystem::path& dir) { return dir / "MANIFEST"; }

std::filesystem::path segment_path(const std::filesystem::path& dir, std::uint64_t seq) {
  char name[40];
  std::snprintf(name, sizeof name, "seg-%06llu.evs", static_cast<unsigned long long>(seq));
  return dir / name;
}

Result<StoreManifest> read_manifest(const std::filesystem::path& dir) {
  auto map = MappedFile::open(manifest_path(dir));
  if (!map) return make_error(dir.string() + ": not an event store (MANIFEST: " + map.error().message + ")");
  const Bytes b = map->bytes();
  if (b.size() < 8 + 4 + 4 || std::memcmp(b.data(), kMagic, 8) != 0)
    return make_error(dir.string() + ": MANIFEST is not an event-store manifest (bad magic)");
  std::uint32_t stored_crc = 0;
  std::memcpy(&stored_crc, b.data() + b.size() - 4, 4);
  if (crc32_gzip_refl(0, b.data(), b.size() - 4) != stored_crc)
    return make_error(dir.string() + ": MANIFEST is corrupt or truncated (checksum mismatch)");
  FixedReader r(b.subspan(8, b.size() - 12));
  std::uint32_t version = 0, reserved = 0;
  if (!r.get(version) || !r.get(reserved)) return make_error("MANIFEST truncated");
  if (version != kStoreVersion)
    return make_error(dir.string() + ": unsupported event-store version " + std::to_string(version));
  StoreManifest m;
  std::uint64_t nseg = 0, nsrc = 0;
  bool ok = r.get(m.actors.count) && r.get(m.actors.bytes) && r.get(m.repos.count) && r.get(m.repos.bytes) &&
            r.get(m.orgs.count) && r.get(m.orgs.bytes) && r.get(m.next_seq) && r.get(nseg) && nseg <= kMaxEntries;
  for (std::uint64_t i = 0; ok && i < nseg; ++i) {
    StoreSegment s;
    ok = r.get(s.seq) && r.get(s.info.events) && r.get(s.info.min_time) && r.get(s.info.max_time) &&
         r.get(s.info.file_bytes);
    m.segments.push_back(s);
  }
  ok = ok && r.get(nsrc) && nsrc <= kMaxEntries;
  for (std::uint64_t i = 0; ok && i < nsrc; ++i) {
    StoreSource s;
    std::uint32_t len = 0;
    ok = r.get(len) && len <= 4096 && r.get_string(len, s.name) && r.get(s.size) && r.get(s.events);
    m.sources.push_back(std::move(s));
  }
  if (!ok) return make_error(dir.string() + ": MANIFEST is malformed");
  const std::uint32_t kMaxIds = 0xFFFFFFFEu;
  if (m.actors.count > kMaxIds || m.repos.count > kMaxIds || m.orgs.count > kMaxIds)
    return make_error(dir.string() + ": MANIFEST dictionary counts out of range");
  return m;
}

Result<bool> write_manifest(const std::filesystem::path& dir, const StoreManifest& m) {
  std::vector<std::uint8_t> out;
  put_bytes(out, std::string_view(kMagic, 8));
  put_fixed<std::uint32_t>(out, kStoreVersion);
  put_fixed<std::uint32_t>(out, 0);
  for (const DictFileInfo* d : {&m.actors, &m.repos, &m.orgs}) {
    put_fixed(out, d->count);
    put_fixed(out, d->bytes);
  }
  put_fixed(out, m.next_seq);
  put_fixed<std::uint64_t>(out, m.segments.size());
  for (const auto& s : m.segments) {
    put_fixed(out, s.seq);
    put_fixed(out, s.info.events);
    put_fixed(out, s.info.min_time);
    put_fixed(out, s.info.max_time);
    put_fixed(out, s.info.file_bytes);
  }
  put_fixed<std::uint64_t>(out, m.sources.size());
  for (const auto& s : m.sources) {
    put_fixed<std::uint32_t>(out, static_cast<std::uint32_t>(s.name.size()));
    put_bytes(out, s.name);
    put_fixed(out, s.size);
    put_fixed(out, s.events);
  }
  put_fixed<std::uint32_t>(out, crc32_gzip_refl(0, out.data(), out.size()));
  const auto tmp = dir / "MANIFEST.tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return make_error(tmp.string() + ": cannot create: " + std::strerror(errno));
  const bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size() && std::fflush(f) == 0;
  std::fclose(f);
  if (!ok) return make_error(tmp.string() + ": write failed");
  std::error_code ec;
  std::filesystem::rename(tmp, manifest_path(dir), ec);
  if (ec) return make_error(manifest_path(dir).string() + ": cannot replace: " + ec.message());
  return true;
}

}  // namespace hubguard::stars
