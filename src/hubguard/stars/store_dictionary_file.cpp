#include "hubguard/stars/store_dictionary_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "hubguard/core/mapped_file.hpp"
#include "hubguard/stars/binary_io.hpp"
#include "hubguard/stars/varint.hpp"

namespace hubguard::stars {
namespace {

constexpr char kMagic[8] = {'H', 'G', 'D', 'I', 'C', 'T', '0', '1'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint64_t kMaxName = 1 << 16;

// Walks the names of a mapped dictionary file; `fn(id, name)`.
template <class Fn>
Result<bool> walk(const std::filesystem::path& path, const DictFileInfo& info, Fn&& fn) {
  const std::string where = path.filename().string();
  auto map = MappedFile::open(path);
  if (!map) return make_error(where + ": " + map.error().message);
  const Bytes b = map->bytes();
  if (b.size() < kDictHeaderBytes || std::memcmp(b.data(), kMagic, 8) != 0)
    return make_error(where + ": not an event-store dictionary (bad magic)");
  std::uint32_t version = 0;
  std::memcpy(&version, b.data() + 8, 4);
  if (version != kVersion) return make_error(where + ": unsupported dictionary version");
  if (b.size() < info.bytes) return make_error(where + ": truncated (shorter than the manifest says)");
  const std::uint8_t* p = b.data() + kDictHeaderBytes;
  const std::uint8_t* end = b.data() + info.bytes;
  for (std::uint64_t id = 0; id < info.count; ++id) {
    std::uint64_t len = 0;
    if (!get_varint(p, end, len) || len > kMaxName || static_cast<std::uint64_t>(end - p) < len)
      return make_error(where + ": corrupt entry " + std::to_string(id));
    if (!fn(static_cast<std::uint32_t>(id), std::string_view(reinterpret_cast<const char*>(p), len))) return true;
    p += len;
  }
  if (p != end) return make_error(where + ": size does not match the manifest");
  return true;
}

}  // namespace

Result<bool> load_dictionary_file(const std::filesystem::path& path, const DictFileInfo& info, Dictionary& into) {
  if (info.count == 0 && !std::filesystem::exists(path)) return true;
  return walk(path, info, [&](std::uint32_t, std::string_view name) {
    into.intern(name);
    return true;
  });
}

Result<std::vector<std::string>> read_dictionary_names(const std::filesystem::path& path, const DictFileInfo& info,
                                                       std::span<const std::uint32_t> ids) {
  std::vector<std::string> out;
  out.reserve(ids.size());
  if (ids.empty()) return out;
  std::size_t next = 0;
  auto r = walk(path, info, [&](std::uint32_t id, std::string_view name) {
    if (id == ids[next]) {
      out.emplace_back(name);
      ++next;
    }
    return next < ids.size();
  });
  if (!r) return r.error();
  if (out.size() != ids.size()) return make_error(path.filename().string() + ": name id out of range");
  return out;
}

Result<DictFileInfo> append_dictionary_file(const std::filesystem::path& path, const DictFileInfo& info,
                                            const Dictionary& dict) {
  const std::string where = path.filename().string();
  const bool fresh = info.count == 0 && info.bytes == kDictHeaderBytes;
  std::FILE* f = std::fopen(path.c_str(), fresh ? "wb" : "r+b");
  if (f == nullptr) return make_error(where + ": cannot open for writing: " + std::strerror(errno));
  std::vector<std::uint8_t> out;
  if (fresh) {
    put_bytes(out, std::string_view(kMagic, 8));
    put_fixed<std::uint32_t>(out, kVersion);
    put_fixed<std::uint32_t>(out, 0);
  } else if (::ftruncate(fileno(f), static_cast<off_t>(info.bytes)) != 0 ||
             std::fseek(f, static_cast<long>(info.bytes), SEEK_SET) != 0) {
    std::fclose(f);
    return make_error(where + ": cannot position for append");
  }
  for (std::size_t id = info.count; id < dict.size(); ++id) {
    const std::string_view name = dict.name(static_cast<std::uint32_t>(id));
    put_varint(out, name.size());
    put_bytes(out, name);
  }
  const bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size() && std::fflush(f) == 0;
  std::fclose(f);
  if (!ok) return make_error(where + ": write failed");
  DictFileInfo next;
  next.count = dict.size();
  next.bytes = (fresh ? 0 : info.bytes) + out.size();
  return next;
}

}  // namespace hubguard::stars
