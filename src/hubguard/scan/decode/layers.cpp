#include "hubguard/scan/decode/layers.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <optional>
#include <unordered_set>

#include "hubguard/scan/decode/base_encodings.hpp"
#include "hubguard/scan/decode/python_strings.hpp"
#include "hubguard/scan/formats/decompress.hpp"

namespace hubguard::scan::decode {
namespace {

bool b64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/' || c == '=' || c == '-' || c == '_';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::optional<Codec> compression_magic(std::string_view b) {
  auto u = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  if (b.size() >= 2 && u(0) == 0x1f && u(1) == 0x8b) return Codec::gzip;
  if (b.size() >= 4 && b.substr(0, 3) == "BZh" && u(3) >= '1' && u(3) <= '9') return Codec::bzip2;
  if (b.size() >= 6 && b.substr(0, 6) == std::string_view("\xfd" "7zXZ\0", 6)) return Codec::xz;
  if (b.size() >= 13 && u(0) == 0x5d && u(1) == 0x00 && u(2) == 0x00) return Codec::lzma_alone;
  // zlib: CM=8, window <= 32K, header checksum.
  if (b.size() >= 2 && (u(0) & 0x0f) == 8 && (u(0) >> 4) <= 7 && ((u(0) << 8) | u(1)) % 31 == 0)
    return Codec::zlib;
  return std::nullopt;
}

std::string_view codec_name(Codec c) {
  switch (c) {
    case Codec::raw_deflate: return "deflate";
    case Codec::zlib: return "zlib";
    case Codec::gzip: return "gzip";
    case Codec::bzip2: return "bz2";
    case Codec::xz: return "xz";
    case Codec::lzma_alone: return "lzma";
  }
  return "?";
}

bool looks_like_marshal_code(std::string_view b) {
  // TYPE_CODE ('c'), with or without FLAG_REF, followed by the int32 argcount (small).
  if (b.size() < 24) return false;
  const auto t = static_cast<unsigned char>(b[0]);
  if (t != 0x63 && t != 0xe3) return false;
  return static_cast<unsigned char>(b[2]) == 0 && static_cast<unsigned char>(b[3]) == 0 &&
         static_cast<unsigned char>(b[4]) == 0;
}

class Decoder {
 public:
  explicit Decoder(const DecodeLimits& limits) : limits_(limits) {}

  std::vector<DecodedLayer> run(std::string_view code) {
    seen_.insert(std::hash<std::string_view>{}(code));
    visit(code, "", 0);
    while (!queue_.empty() && out_.size() < limits_.max_layers) {
      const std::size_t index = queue_.front();
      queue_.pop_front();
      // Copy: `out_` may reallocate while this layer is being decoded.
      const std::string text = out_[index].data;
      const std::string how = out_[index].how;
      visit(text, how, out_[index].depth);
    }
    return std::move(out_);
  }

 private:
  void visit(std::string_view text, const std::string& how, unsigned depth) {
    if (depth >= limits_.max_depth) return;
    StringScanLimits sl;
    sl.max_value = static_cast<std::size_t>(limits_.max_layer_size);
    sl.max_expressions = 4096;
    std::unordered_set<std::size_t> tried;  // blobs already tried in this text
    for (auto& expr : find_string_expressions(text, sl)) {
      if (full()) return;
      if (expr.transformed()) {
        // Concatenation and join are ordinary code; they only count as hiding something
        // when combined with chr/fromhex/rot13/escapes ..., and are only worth a layer of
        // their own when they build more than a word.
        const bool plain_building = expr.how == "concat" || expr.how == "join" ||
                                    expr.how == "concat+join" || expr.how == "join+concat";
        if (!plain_building || expr.value.size() >= 8)
          add_value(expr.value, join_how(how, expr.how), depth, !plain_building);
      }
      try_blob(trim(expr.value), how, depth, limits_.min_literal_blob, tried);
      if (text.find("rot13") != std::string_view::npos || text.find("rot_13") != std::string_view::npos) {
        if (expr.value.size() >= 8 && !expr.transformed()) {
          std::string r = rot13(expr.value);
          if (looks_like_code(r)) add_value(r, join_how(how, "rot13"), depth, true);
        }
      }
    }
    // Bare runs: blobs in shell commands (`echo ... | base64 -d`), f-strings, comments.
    std::size_t i = 0;
    while (i < text.size() && !full()) {
      if (!b64_char(text[i])) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < text.size() && b64_char(text[j])) ++j;
      if (j - i >= limits_.min_bare_blob) try_blob(text.substr(i, j - i), how, depth, limits_.min_bare_blob, tried);
      i = j;
    }
    // The whole text may itself be one blob (a code string that is only base64).
    const std::string_view whole = trim(text);
    if (whole.size() >= limits_.min_literal_blob) try_blob(whole, how, depth, limits_.min_literal_blob, tried);
  }

  static std::string join_how(const std::string& how, std::string_view step) {
    if (how.empty()) return std::string(step);
    return how + " > " + std::string(step);
  }

  bool full() const { return out_.size() >= limits_.max_layers || total_ >= limits_.max_total; }

  void try_blob(std::string_view blob, const std::string& how, unsigned depth, std::size_t min_size,
                std::unordered_set<std::size_t>& tried) {
    if (blob.size() < min_size || full()) return;
    if (!tried.insert(std::hash<std::string_view>{}(blob)).second) return;
    // Raw compressed bytes (a bytes literal fed to zlib.decompress).
    if (compression_magic(blob)) {
      try_bytes(blob, how, depth, 0);
      return;
    }
    if (std::all_of(blob.begin(), blob.end(), [](char c) { return b64_char(c) || c == '\n' || c == '\r'; })) {
      // Hex first: every hex string is also valid base64, and hex is what it usually is.
      if (auto hex = base16_decode(blob)) {
        if (try_bytes(*hex, join_how(how, "hex"), depth, 0)) return;
      }
      if (auto b64 = base64_decode(blob)) {
        if (try_bytes(*b64, join_how(how, "base64"), depth, 0)) return;
      }
      if (auto b32 = base32_decode(blob)) {
        if (try_bytes(*b32, join_how(how, "base32"), depth, 0)) return;
      }
    }
  }

  // Decoded bytes: decompress if compressed, then keep as text or marshal; true if kept.
  bool try_bytes(std::string_view bytes, const std::string& how, unsigned depth, int compressions) {
    if (auto codec = compression_magic(bytes); codec && compressions < 4) {
      DecompressBounds bounds;
      bounds.max_output = limits_.max_layer_size;
      bounds.max_ratio = limits_.max_ratio;
      bounds.ratio_floor = 1u << 16;
      auto d = decompress(*codec, as_bytes(bytes), bounds);
      if (!d.data.empty() && (d.stop == DecompressStop::complete || d.stop == DecompressStop::truncated ||
                              d.stop == DecompressStop::output_limit)) {
        std::string inflated(reinterpret_cast<const char*>(d.data.data()), d.data.size());
        return try_bytes(inflated, join_how(how, codec_name(*codec)), depth, compressions + 1);
      }
      if (how.empty()) return false;
    }
    if (looks_like_marshal_code(bytes)) {
      add_layer(std::string(bytes), how, depth, true, LayerContent::marshal);
      return true;
    }
    if (bytes.size() >= 4 && looks_like_text(bytes)) {
      add_layer(std::string(bytes), how, depth, true, LayerContent::text);
      return true;
    }
    return false;
  }

  void add_value(std::string_view value, const std::string& how, unsigned depth, bool encoded) {
    if (value.size() < 4 || !looks_like_text(value)) return;
    add_layer(std::string(value), how, depth, encoded, LayerContent::text);
  }

  void add_layer(std::string data, const std::string& how, unsigned depth, bool encoded, LayerContent content) {
    if (full()) return;
    if (!seen_.insert(std::hash<std::string>{}(data)).second) return;
    total_ += data.size();
    DecodedLayer layer;
    layer.data = std::move(data);
    layer.how = how;
    layer.depth = depth + 1;
    layer.encoded = encoded;
    layer.content = content;
    out_.push_back(std::move(layer));
    if (content == LayerContent::text) queue_.push_back(out_.size() - 1);
  }

  const DecodeLimits& limits_;
  std::vector<DecodedLayer> out_;
  std::deque<std::size_t> queue_;
  std::unordered_set<std::size_t> seen_;
  std::uint64_t total_ = 0;
};

}  // namespace

DecodeLimits decode_limits_from(const ScanLimits& limits) {
  DecodeLimits d;
  d.max_depth = limits.max_decode_depth;
  d.max_layer_size = limits.max_source_size;
  d.max_total = limits.max_source_size * 4;
  d.max_ratio = limits.max_compression_ratio;
  return d;
}

std::vector<DecodedLayer> decode_layers(std::string_view code, const DecodeLimits& limits) {
  return Decoder(limits).run(code);
}

bool looks_like_text(std::string_view bytes) {
  if (bytes.empty()) return false;
  std::size_t printable = 0;
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) return false;
    if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t') ++printable;
  }
  // Code and commands are almost all ASCII; random bytes are about 37% printable.
  return printable * 100 >= bytes.size() * 90;
}

bool looks_like_code(std::string_view t) {
  static constexpr std::string_view kMarkers[] = {
      "import ", "__import__", "exec(", "eval(", "compile(", "os.", "subprocess", "socket",
      "def ", "lambda", "print(", "open(", "getattr(", "system(", "popen", "/bin/", "| sh",
      "|sh", "| bash", "|bash", "curl ", "wget ", "chmod ", "rm -", "nc ", "powershell",
      "/dev/tcp", "cmd.exe", "&&", "base64 -d", "python -c", "python3 -c"};
  for (auto m : kMarkers)
    if (t.find(m) != std::string_view::npos) return true;
  return false;
}

}  // namespace hubguard::scan::decode
