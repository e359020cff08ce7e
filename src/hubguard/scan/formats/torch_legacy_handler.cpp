// "pytorch-legacy": the format torch.save wrote before PyTorch 1.6 (and still writes with
// _use_new_zipfile_serialization=False): several pickles back to back - the magic number
// 0x1950a86a20f9469cfc6c, the protocol version, sys_info, the object itself, the list of
// storage keys - followed by raw storage bytes. It is recognised by its first pickle being
// exactly that magic number (a long). The handler hands everything after the magic pickle
// on as one child: the pickle handler runs the VM over concatenated pickles until the bytes
// stop looking like pickles, which is where the raw storages start, so storage data is not
// read. (The legacy *tar* layout - members sys_info, pickle, storages, tensors - is a tar
// and is walked by the tar handler.)
#include <array>

#include "hubguard/scan/formats/formats.hpp"

namespace hubguard::scan {
namespace {

// 0x1950a86a20f9469cfc6c as Python's pickle writes it: 10 little-endian bytes for LONG1 /
// LONG4, decimal text for protocol 0/1's LONG opcode.
constexpr std::array<std::uint8_t, 10> kMagicLE = {0x6c, 0xfc, 0x9c, 0x46, 0xf9,
                                                   0x20, 0x6a, 0xa8, 0x50, 0x19};
constexpr std::string_view kMagicDecimal = "119547037146038801333356";

// The end offset of the magic pickle, or 0 when the bytes do not start with it.
std::size_t magic_pickle_end(Bytes b) {
  std::size_t i = 0;
  if (b.size() >= 2 && b[0] == 0x80 && b[1] <= 5) {  // PROTO
    i = 2;
    if (b.size() >= i + 9 && b[i] == 0x95) i += 9;   // FRAME n (protocol 4+)
  }
  auto at = [&](std::size_t k) -> int { return k < b.size() ? b[k] : -1; };
  if (at(i) == 0x8a && at(i + 1) == 10) {  // LONG1 len=10
    i += 2;
  } else if (at(i) == 0x8b && at(i + 1) == 10 && at(i + 2) == 0 && at(i + 3) == 0 && at(i + 4) == 0) {
    i += 5;                                // LONG4 len=10
  } else if (at(i) == 'L') {               // LONG "119547037146038801333356L\n"
    ++i;
    if (b.size() < i + kMagicDecimal.size() ||
        as_text(b.subspan(i, kMagicDecimal.size())) != kMagicDecimal)
      return 0;
    i += kMagicDecimal.size();
    if (at(i) == 'L') ++i;
    if (at(i) != '\n') return 0;
    ++i;
    // memo ops may follow (protocol 0/1 PUT / BINPUT); STOP ends the pickle
    return at(i) == '.' ? i + 1 : 0;
  } else {
    return 0;
  }
  if (b.size() < i + kMagicLE.size()) return 0;
  for (std::size_t k = 0; k < kMagicLE.size(); ++k)
    if (b[i + k] != kMagicLE[k]) return 0;
  i += kMagicLE.size();
  if (at(i) == 0x94) ++i;  // MEMOIZE (protocol 4+ pickles memoize nothing for ints, but allow it)
  return at(i) == '.' ? i + 1 : 0;
}

class TorchLegacyHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "pytorch-legacy"; }
  bool accepts(const Artifact& a) const override { return magic_pickle_end(a.bytes) != 0; }

  void scan(const Artifact& a, ScanContext& ctx) const override {
    const std::size_t end = magic_pickle_end(a.bytes);
    if (end == 0) return;
    if (end >= a.bytes.size()) {
      ctx.unscannable("pytorch-legacy: the file ends after the magic number");
      return;
    }
    // Starting after the magic keeps this handler from claiming its own child.
    ctx.add_child(child_view(a, a.bytes.subspan(end), "pickles"));
  }
};

}  // namespace

const FormatHandler& torch_legacy_handler() {
  static const TorchLegacyHandler handler;
  return handler;
}

}  // namespace hubguard::scan
