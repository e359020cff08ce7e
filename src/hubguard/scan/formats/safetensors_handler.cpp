// The "safetensors" handler: validates a safetensors file against its published layout
// (8-byte little-endian header length, a JSON header of `name -> {dtype, shape,
// data_offsets}` plus an optional string->string `__metadata__`, then the data section) and
// never reads tensor data. Safetensors carries no code, so a well-formed file is clean; what
// is reported is where a payload could hide or where loaders would disagree: offsets that do
// not match the shapes, overlap, leave gaps or run out of range, bytes after the last tensor
// (handed on as a child), a zip hidden in the data whose directory sits at the end of the
// file (torch.load would read it: a polyglot, handed on as a child), and metadata values
// holding code or URLs. A header that does not parse makes the file unscannable.
//
// A pickle polyglot at the start is impossible: a plausible header length (< 100 MB) has zero
// bytes at positions 4..7, which no pickle stream can start with.
#include <algorithm>
#include <array>

#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/json_guard.hpp"
#include "hubguard/scan/formats/metadata_text_check.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

constexpr std::uint64_t kMaxHeader = 100ULL << 20;  // the reference loader's own bound
constexpr std::size_t kMaxDims = 64;
constexpr std::size_t kMaxReportedProblems = 8;
constexpr std::size_t kMaxGapChildren = 16;
constexpr std::uint64_t kMinGapChild = 64;  // smaller gaps cannot hold a useful payload

struct Dtype {
  std::string_view name;
  unsigned bits;
};
// The dtypes of the safetensors specification (sub-byte floats are packed bits).
constexpr std::array<Dtype, 20> kDtypes{{
    {"BOOL", 8}, {"U8", 8}, {"I8", 8}, {"F8_E5M2", 8}, {"F8_E4M3", 8}, {"F8_E8M0", 8},
    {"I16", 16}, {"U16", 16}, {"F16", 16}, {"BF16", 16}, {"I32", 32}, {"U32", 32},
    {"F32", 32}, {"F64", 64}, {"I64", 64}, {"U64", 64}, {"C64", 64}, {"F4", 4},
    {"F6_E2M3", 6}, {"F6_E3M2", 6},
}};

std::uint64_t read_le64(Bytes b) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[static_cast<std::size_t>(i)];
  return v;
}

struct Tensor {
  std::string name;
  std::uint64_t begin = 0, end = 0;
};

// Problems with the offsets are collected and reported as one finding with examples, so a
// hostile header with a million bad entries makes one finding, not a million.
struct Problems {
  std::uint64_t count = 0;
  std::string examples;
  void add(std::string text) {
    if (count++ < kMaxReportedProblems) examples += (examples.empty() ? "" : "; ") + text;
  }
};

// prod(shape) * bits / 8, or an error text (overflow, non-integers, sub-byte remainder).
Result<std::uint64_t> tensor_bytes(const nlohmann::json& shape, unsigned bits) {
  if (!shape.is_array() || shape.size() > kMaxDims) return make_error("shape is not a list of at most 64 integers");
  // Counted in bits so sub-byte dtypes are exact; overflow is an error, not a wrap.
  std::uint64_t total = bits;
  for (const auto& d : shape) {
    if (!d.is_number_unsigned()) return make_error("shape holds a value that is not a non-negative integer");
    if (__builtin_mul_overflow(total, d.get<std::uint64_t>(), &total)) return make_error("shape overflows 64 bits");
  }
  if (total % 8 != 0) return make_error("sub-byte tensor does not fill whole bytes");
  return total / 8;
}

// The start of a zip whose end-of-central-directory record ends the file, or nullopt. zip
// readers (torch.load among them) find an archive from its end, so a zip laid inside the
// data section makes the file a valid zip too.
std::optional<std::uint64_t> trailing_zip_start(Bytes file, std::uint64_t not_before) {
  constexpr std::size_t kEocd = 22;
  if (file.size() < kEocd) return std::nullopt;
  const std::size_t lowest = file.size() > kEocd + 0xFFFF ? file.size() - kEocd - 0xFFFF : 0;
  for (std::size_t pos = file.size() - kEocd + 1; pos-- > lowest;) {
    if (!(file[pos] == 'P' && file[pos + 1] == 'K' && file[pos + 2] == 5 && file[pos + 3] == 6)) continue;
    auto u32 = [&](std::size_t at) {
      return static_cast<std::uint64_t>(file[at]) | static_cast<std::uint64_t>(file[at + 1]) << 8 |
             static_cast<std::uint64_t>(file[at + 2]) << 16 | static_cast<std::uint64_t>(file[at + 3]) << 24;
    };
    const std::uint64_t cd_size = u32(pos + 12), cd_offset = u32(pos + 16);
    if (cd_size + cd_offset > pos) continue;
    const std::uint64_t start = pos - cd_size - cd_offset;
    if (start < not_before) continue;
    if (start + 4 <= file.size() && file[start] == 'P' && file[start + 1] == 'K' &&
        (file[start + 2] == 3 || file[start + 2] == 5))
      return start;
  }
  return std::nullopt;
}

class SafetensorsHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "safetensors"; }

  bool accepts(const Artifact& a) const override {
    // A header longer than the file is still claimed: a truncated safetensors file must come
    // out unscannable, not unknown.
    if (a.bytes.size() < 9) return false;
    const std::uint64_t n = read_le64(a.bytes);
    return n >= 2 && n <= kMaxHeader && a.bytes[8] == '{';
  }

  void scan(const Artifact& a, ScanContext& ctx) const override {
    try {
      scan_checked(a, ctx);
    } catch (const std::exception& e) {
      ctx.unscannable(std::string("safetensors: ") + e.what());
    }
  }

 private:
  static void scan_checked(const Artifact& a, ScanContext& ctx) {
    const std::uint64_t n = read_le64(a.bytes);
    if (n > a.bytes.size() - 8) {
      ctx.unscannable("safetensors: the " + std::to_string(n) + "-byte header runs past the end of the file");
      return;
    }
    const std::uint64_t data_start = 8 + n;
    const std::uint64_t data_size = a.bytes.size() - data_start;
    auto header = parse_json_bounded(as_text(a.bytes.subspan(8, n)));
    if (!header) {
      ctx.unscannable("safetensors: header: " + header.error().message);
      return;
    }
    if (!header->is_object()) {
      ctx.unscannable("safetensors: header is not a JSON object");
      return;
    }
    std::vector<Tensor> tensors;
    Problems offsets;
    std::string malformed;
    for (auto it = header->begin(); it != header->end(); ++it) {
      const std::string& key = it.key();
      const auto& v = it.value();
      if (key == "__metadata__") {
        check_metadata(v, ctx, malformed);
        continue;
      }
      if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets")) {
        if (malformed.empty()) malformed = "tensor '" + key + "' lacks dtype, shape or data_offsets";
        continue;
      }
      const auto& dt = v["dtype"];
      const Dtype* dtype = nullptr;
      if (dt.is_string())
        for (const auto& d : kDtypes)
          if (d.name == dt.get_ref<const std::string&>()) dtype = &d;
      if (dtype == nullptr) {
        if (malformed.empty()) malformed = "tensor '" + key + "' has unknown dtype " + json_excerpt(dt);
        continue;
      }
      const auto& off = v["data_offsets"];
      if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned()) {
        if (malformed.empty()) malformed = "tensor '" + key + "' data_offsets is not two non-negative integers";
        continue;
      }
      auto size = tensor_bytes(v["shape"], dtype->bits);
      if (!size) {
        if (malformed.empty()) malformed = "tensor '" + key + "': " + size.error().message;
        continue;
      }
      Tensor t{key, off[0].get<std::uint64_t>(), off[1].get<std::uint64_t>()};
      if (t.begin > t.end) {
        offsets.add("'" + key + "' begins after it ends");
        continue;
      }
      if (t.end > data_size) {
        offsets.add("'" + key + "' ends at " + std::to_string(t.end) + ", past the data section (" +
                    std::to_string(data_size) + " bytes)");
        continue;
      }
      if (t.end - t.begin != *size)
        offsets.add("'" + key + "' spans " + std::to_string(t.end - t.begin) + " bytes but its dtype and shape need " +
                    std::to_string(*size));
      tensors.push_back(std::move(t));
    }
    if (!malformed.empty()) ctx.unscannable("safetensors: " + malformed);
    check_layout(a, tensors, data_start, data_size, offsets, ctx);
    if (offsets.count > 0)
      ctx.add_finding(make_finding("safetensors.bad-offsets", Severity::medium, Verdict::suspicious,
                                   "format-anomaly",
                                   std::to_string(offsets.count) +
                                       " tensor offset problem(s): the reference loader rejects the file, "
                                       "other readers may read different bytes",
                                   8, offsets.examples));
  }

  static void check_metadata(const nlohmann::json& meta, ScanContext& ctx, std::string& malformed) {
    if (!meta.is_object()) {
      if (malformed.empty()) malformed = "__metadata__ is not an object";
      return;
    }
    for (auto it = meta.begin(); it != meta.end(); ++it) {
      if (!it.value().is_string()) {
        if (malformed.empty()) malformed = "__metadata__ value '" + it.key() + "' is not a string";
        continue;
      }
      check_metadata_text("safetensors", it.key(), it.value().get_ref<const std::string&>(), 8, ctx);
    }
  }

  // Overlaps and gaps between tensors, bytes after the last one, and a zip hiding in the
  // data section.
  static void check_layout(const Artifact& a, std::vector<Tensor>& tensors, std::uint64_t data_start,
                           std::uint64_t data_size, Problems& offsets, ScanContext& ctx) {
    std::sort(tensors.begin(), tensors.end(), [](const Tensor& x, const Tensor& y) {
      return x.begin != y.begin ? x.begin < y.begin : x.end < y.end;
    });
    std::uint64_t covered = 0;
    std::size_t gap_children = 0;
    std::uint64_t gap_bytes = 0;
    for (const auto& t : tensors) {
      if (t.begin < covered) {
        offsets.add("'" + t.name + "' overlaps the tensor before it");
      } else if (t.begin > covered) {
        gap_bytes += t.begin - covered;
        if (t.begin - covered >= kMinGapChild && gap_children++ < kMaxGapChildren)
          ctx.add_child(child_view(a, a.bytes.subspan(data_start + covered, t.begin - covered),
                                   "gap@" + std::to_string(data_start + covered)));
      }
      covered = std::max(covered, t.end);
    }
    if (gap_bytes > 0)
      ctx.add_finding(make_finding("safetensors.gap", Severity::medium, Verdict::suspicious, "format-anomaly",
                                   std::to_string(gap_bytes) +
                                       " bytes of the data section belong to no tensor; they were scanned "
                                       "separately",
                                   data_start));
    if (covered < data_size) {
      ctx.add_finding(make_finding("safetensors.trailing-data", Severity::medium, Verdict::suspicious,
                                   "format-anomaly",
                                   std::to_string(data_size - covered) +
                                       " bytes follow the last tensor; they were scanned separately",
                                   data_start + covered));
      ctx.add_child(child_view(a, a.bytes.subspan(data_start + covered), "trailing-data"));
    }
    if (auto zip = trailing_zip_start(a.bytes, data_start)) {
      ctx.add_finding(make_finding("safetensors.polyglot", Severity::high, Verdict::suspicious,
                                   "format-anomaly",
                                   "the file is also a zip archive (its directory ends the file): zip "
                                   "readers such as torch.load see an archive; it was scanned as one",
                                   *zip));
      // Already handed on when it lies in the trailing bytes that start with it.
      if (*zip != data_start + covered) ctx.add_child(child_view(a, a.bytes.subspan(*zip), "embedded-zip"));
    }
  }
};

}  // namespace

const FormatHandler& safetensors_handler() {
  static const SafetensorsHandler handler;
  return handler;
}

}  // namespace hubguard::scan
