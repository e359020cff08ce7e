// "joblib-zfile": the compressed format of joblib before 0.10 ("Z-file"): the two bytes
// "ZF", the uncompressed length as a hex literal left-justified in 19 characters
// (sometimes one more space, from Python 2 writers), then a zlib stream holding a pickle.
// Newer joblib files need no handler of their own: a compressed one is a plain zlib, gzip,
// bz2, xz, lzma or lz4 stream (compressed_stream_handlers.cpp) around a pickle, and a raw
// one is a pickle whose numpy arrays are written between its opcodes (the pickle handler
// skips those bytes; see /work/notes/pickle_api.md).
#include <cctype>

#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/member_decode.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

constexpr std::size_t kLengthField = 19;  // len(hex(2**64))
constexpr std::size_t kHeader = 2 + kLengthField;

struct ZFileHeader {
  std::uint64_t length = 0;
  std::size_t data_offset = 0;
};

std::optional<ZFileHeader> parse_header(Bytes b) {
  if (b.size() < kHeader + 2 || !starts_with(b, "ZF0x")) return std::nullopt;
  ZFileHeader h;
  std::size_t i = 4;
  std::size_t digits = 0;
  for (; i < kHeader && std::isxdigit(b[i]) != 0; ++i, ++digits) {
    if (digits >= 16) return std::nullopt;
    const char c = static_cast<char>(std::tolower(b[i]));
    h.length = h.length * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  if (digits == 0) return std::nullopt;
  for (; i < kHeader; ++i)
    if (b[i] != ' ') return std::nullopt;
  // Python 2 joblib <= 0.8.4 wrote one more space; zlib data never starts with one.
  h.data_offset = b[kHeader] == ' ' ? kHeader + 1 : kHeader;
  if (b.size() <= h.data_offset || b[h.data_offset] != 0x78) return std::nullopt;
  return h;
}

class JoblibZFileHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "joblib-zfile"; }
  bool accepts(const Artifact& a) const override { return parse_header(a.bytes).has_value(); }

  void scan(const Artifact& a, ScanContext& ctx) const override {
    auto h = parse_header(a.bytes);
    if (!h) return;
    auto decoded = decode_for_scan(Codec::zlib, a.bytes.subspan(h->data_offset), ctx,
                                   h->data_offset, "the joblib z-file stream", "joblib-zfile");
    if (!decoded) return;
    if (decoded->whole && decoded->data.size() != h->length)
      ctx.add_finding(make_finding("joblib-zfile.size-mismatch", Severity::low, Verdict::suspicious,
                                   "format-anomaly",
                                   "the z-file header declares a length other than its content's",
                                   2,
                                   "declared " + std::to_string(h->length) + ", actual " +
                                       std::to_string(decoded->data.size())));
    ctx.add_child(child_owned(a, std::move(decoded->data), "zfile-content"));
  }
};

}  // namespace

const FormatHandler& joblib_zfile_handler() {
  static const JoblibZFileHandler handler;
  return handler;
}

}  // namespace hubguard::scan
