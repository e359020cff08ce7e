// Test helpers for the container handlers: a ScanContext that records what a handler
// reports (so a test can assert which members were handed on, without the engine), and
// builders that write zip, gzip, zlib, bzip2, xz, lzma and libarchive-made archives in
// memory, including deliberately malformed ones.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hubguard/scan/format_handler.hpp"

namespace hubguard::scan::testing {

class RecordingContext final : public ScanContext {
 public:
  ScanOptions opts;
  std::vector<std::string> formats;
  std::vector<report::Finding> findings;
  std::vector<Artifact> children;
  std::vector<std::string> errors;
  std::uint64_t charged = 0;

  const ScanOptions& options() const override { return opts; }
  void set_format(std::string f) override { formats.push_back(std::move(f)); }
  void add_finding(report::Finding f) override { findings.push_back(std::move(f)); }
  void add_code(CodeEvidence) override {}
  void add_child(Artifact child) override { children.push_back(std::move(child)); }
  void add_program(std::string) override {}
  void unscannable(std::string reason) override { errors.push_back(std::move(reason)); }
  bool charge_decompressed(std::uint64_t n) override {
    charged += n;
    return charged <= opts.limits.max_total_decompressed;
  }

  bool has_rule(std::string_view rule) const {
    for (const auto& f : findings)
      if (f.rule == rule) return true;
    return false;
  }
  const Artifact* child(std::string_view name) const {
    for (const auto& c : children)
      if (c.name == name) return &c;
    return nullptr;
  }
  std::vector<std::string> child_names() const {
    std::vector<std::string> out;
    for (const auto& c : children) out.push_back(c.name);
    return out;
  }
};

inline Bytes bytes_of(const std::string& s) { return as_bytes(s); }
inline std::string text_of(Bytes b) { return std::string(as_text(b)); }

inline Artifact root_artifact(const std::string& data, std::string name = "file") {
  Artifact a;
  a.bytes = bytes_of(data);
  a.name = std::move(name);
  return a;
}

// A pickle-looking payload of any size: PROTO 4 then filler (the handlers only sniff).
inline std::string pickle_like(std::size_t size, char fill = 'a') {
  std::string s = "\x80\x04";
  s.resize(std::max<std::size_t>(size, 2), fill);
  return s;
}

// Bytes that look like nothing we scan (raw tensor data).
inline std::string raw_bytes(std::size_t size) {
  std::string s(size, '\0');
  std::uint32_t x = 12345;
  for (auto& c : s) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(((x >> 16) & 0x3f) | 0x01);  // never a text-only run
  }
  s[0] = '\x03';
  return s;
}

// A .npy file: header dict text built from `descr` (a Python literal) and `shape`.
inline std::string make_npy(const std::string& descr, const std::string& shape,
                            const std::string& payload, int major = 1) {
  std::string header = "{'descr': " + descr + ", 'fortran_order': False, 'shape': " + shape + ", }";
  const std::size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  const std::size_t n = header.size();
  out += static_cast<char>(n & 0xff);
  out += static_cast<char>((n >> 8) & 0xff);
  if (major != 1) {
    out += static_cast<char>((n >> 16) & 0xff);
    out += static_cast<char>((n >> 24) & 0xff);
  }
  return out + header + payload;
}

inline std::string deflate_raw(const std::string& in, int window = -15) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, window, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}
inline std::string gzip(const std::string& in) { return deflate_raw(in, 15 + 16); }
inline std::string zlib_compress(const std::string& in) { return deflate_raw(in, 15); }

inline std::string bzip2(const std::string& in) {
  unsigned int len = static_cast<unsigned>(in.size() + in.size() / 100 + 600);
  std::string out(len, '\0');
  BZ2_bzBuffToBuffCompress(out.data(), &len, const_cast<char*>(in.data()),
                           static_cast<unsigned>(in.size()), 9, 0, 0);
  out.resize(len);
  return out;
}

inline std::string xz_or_lzma(const std::string& in, bool alone) {
  lzma_stream s = LZMA_STREAM_INIT;
  if (alone) {
    lzma_options_lzma opt;
    lzma_lzma_preset(&opt, 6);
    if (lzma_alone_encoder(&s, &opt) != LZMA_OK) return {};
  } else {
    if (lzma_easy_encoder(&s, 6, LZMA_CHECK_CRC64) != LZMA_OK) return {};
  }
  std::string out(in.size() + in.size() / 2 + 1024, '\0');
  s.next_in = reinterpret_cast<const std::uint8_t*>(in.data());
  s.avail_in = in.size();
  s.next_out = reinterpret_cast<std::uint8_t*>(out.data());
  s.avail_out = out.size();
  if (lzma_code(&s, LZMA_FINISH) != LZMA_STREAM_END) out.clear();
  if (!out.empty()) out.resize(s.total_out);
  lzma_end(&s);
  return out;
}

// Zip method 14: a 4-byte LZMA header (version, properties size) + 5 property bytes, then a
// raw LZMA1 stream with an end marker (general-purpose flag bit 1).
inline std::string zip_lzma(const std::string& in) {
  lzma_options_lzma opt;
  lzma_lzma_preset(&opt, 6);
  lzma_filter filters[] = {{LZMA_FILTER_LZMA1, &opt}, {LZMA_VLI_UNKNOWN, nullptr}};
  std::uint8_t props[5] = {};
  if (lzma_properties_encode(&filters[0], props) != LZMA_OK) return {};
  lzma_stream s = LZMA_STREAM_INIT;
  if (lzma_raw_encoder(&s, filters) != LZMA_OK) return {};
  std::string out(in.size() + in.size() / 2 + 1024, '\0');
  s.next_in = reinterpret_cast<const std::uint8_t*>(in.data());
  s.avail_in = in.size();
  s.next_out = reinterpret_cast<std::uint8_t*>(out.data());
  s.avail_out = out.size();
  const bool ok = lzma_code(&s, LZMA_FINISH) == LZMA_STREAM_END;
  out.resize(ok ? s.total_out : 0);
  lzma_end(&s);
  return std::string("\x09\x14\x05\x00", 4) + std::string(reinterpret_cast<char*>(props), 5) + out;
}

inline std::uint32_t crc_of(const std::string& s) {
  return static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

// A hand-written zip, with knobs for the anomalies the reader must tolerate.
struct ZipMember {
  std::string name;
  std::string data;
  std::uint16_t method = 0;               // 0 stored, 8 deflate
  std::optional<std::string> local_name;  // differs from the central name
  std::uint16_t flags = 0;
  std::optional<std::uint32_t> crc;       // a wrong CRC
  std::optional<std::uint64_t> local_offset_override;  // point elsewhere (overlap/bad offset)
  std::optional<std::string> encoded;     // member data already compressed with `method`
};

class ZipWriter {
 public:
  bool zip64 = false;
  std::string comment;

  std::string build(const std::vector<ZipMember>& members) {
    std::string out;
    struct Central {
      const ZipMember* m;
      std::string stored;
      std::uint64_t offset;
    };
    std::vector<Central> cds;
    for (const auto& m : members) {
      std::string stored = m.encoded ? *m.encoded : m.method == 8 ? deflate_raw(m.data) : m.data;
      std::uint64_t offset = out.size();
      const std::string& lname = m.local_name ? *m.local_name : m.name;
      put32(out, 0x04034b50);
      put16(out, zip64 ? 45 : 20);
      put16(out, m.flags);
      put16(out, m.method);
      put32(out, 0);
      put32(out, m.crc ? *m.crc : crc_of(m.data));
      put32(out, zip64 ? 0xffffffff : static_cast<std::uint32_t>(stored.size()));
      put32(out, zip64 ? 0xffffffff : static_cast<std::uint32_t>(m.data.size()));
      put16(out, static_cast<std::uint16_t>(lname.size()));
      put16(out, zip64 ? 20 : 0);
      out += lname;
      if (zip64) {
        put16(out, 1);
        put16(out, 16);
        put64(out, m.data.size());
        put64(out, stored.size());
      }
      out += stored;
      cds.push_back({&m, std::move(stored), m.local_offset_override.value_or(offset)});
    }
    const std::uint64_t cd_start = out.size();
    for (const auto& c : cds) {
      const ZipMember& m = *c.m;
      put32(out, 0x02014b50);
      put16(out, zip64 ? 45 : 20);
      put16(out, zip64 ? 45 : 20);
      put16(out, m.flags);
      put16(out, m.method);
      put32(out, 0);
      put32(out, m.crc ? *m.crc : crc_of(m.data));
      put32(out, zip64 ? 0xffffffff : static_cast<std::uint32_t>(c.stored.size()));
      put32(out, zip64 ? 0xffffffff : static_cast<std::uint32_t>(m.data.size()));
      put16(out, static_cast<std::uint16_t>(m.name.size()));
      put16(out, zip64 ? 28 : 0);
      put16(out, 0);
      put16(out, 0);
      put16(out, 0);
      put32(out, 0);
      put32(out, zip64 ? 0xffffffff : static_cast<std::uint32_t>(c.offset));
      out += m.name;
      if (zip64) {
        put16(out, 1);
        put16(out, 24);
        put64(out, m.data.size());
        put64(out, c.stored.size());
        put64(out, c.offset);
      }
    }
    const std::uint64_t cd_size = out.size() - cd_start;
    if (zip64) {
      const std::uint64_t rec = out.size();
      put32(out, 0x06064b50);
      put64(out, 44);
      put16(out, 45);
      put16(out, 45);
      put32(out, 0);
      put32(out, 0);
      put64(out, members.size());
      put64(out, members.size());
      put64(out, cd_size);
      put64(out, cd_start);
      put32(out, 0x07064b50);
      put32(out, 0);
      put64(out, rec);
      put32(out, 1);
    }
    put32(out, 0x06054b50);
    put16(out, 0);
    put16(out, 0);
    put16(out, zip64 ? 0xffff : static_cast<std::uint16_t>(members.size()));
    put16(out, zip64 ? 0xffff : static_cast<std::uint16_t>(members.size()));
    put32(out, zip64 ? 0xffffffff : static_cast<std::uint32_t>(cd_size));
    put32(out, zip64 ? 0xffffffff : static_cast<std::uint32_t>(cd_start));
    put16(out, static_cast<std::uint16_t>(comment.size()));
    out += comment;
    return out;
  }

 private:
  static void put16(std::string& o, std::uint16_t v) {
    o += static_cast<char>(v & 0xff);
    o += static_cast<char>(v >> 8);
  }
  static void put32(std::string& o, std::uint32_t v) {
    put16(o, static_cast<std::uint16_t>(v & 0xffff));
    put16(o, static_cast<std::uint16_t>(v >> 16));
  }
  static void put64(std::string& o, std::uint64_t v) {
    put32(o, static_cast<std::uint32_t>(v));
    put32(o, static_cast<std::uint32_t>(v >> 32));
  }
};

// An archive written by libarchive in memory: format "ustar", "gnutar", "pax", "7zip",
// "cpio", "ar"...; filter "" (none), "gzip", "bzip2", "xz", "zstd".
inline std::string libarchive_write(const std::string& format, const std::string& filter,
                                    const std::vector<std::pair<std::string, std::string>>& files) {
  archive* a = archive_write_new();
  archive_write_set_format_by_name(a, format.c_str());
  if (!filter.empty()) archive_write_add_filter_by_name(a, filter.c_str());
  std::string out(16 << 20, '\0');
  std::size_t used = 0;
  std::size_t total = 0;
  for (const auto& [n, d] : files) total += d.size() + 4096;
  if (total + (1 << 20) > out.size()) out.resize(total + (1 << 20));
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open_memory(a, out.data(), out.size(), &used);
  for (const auto& [name, data] : files) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

}  // namespace hubguard::scan::testing
