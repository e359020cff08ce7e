// The "numpy" handler (.npy): parses the header (numpy_header.hpp) and never reads numeric
// payloads. An object dtype means the payload is a pickle, handed on as a child for the
// pickle handler; bytes beyond a numeric payload's size are handed on too, since numpy.load
// ignores them but a polyglot may put a pickle there. A header that does not parse makes
// the file unscannable with the reason.
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/numpy_header.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

class NumpyHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "numpy"; }
  bool accepts(const Artifact& a) const override { return has_npy_magic(a.bytes); }

  void scan(const Artifact& a, ScanContext& ctx) const override {
    auto h = parse_npy_header(a.bytes);
    if (!h) {
      ctx.unscannable("numpy: " + h.error().message);
      return;
    }
    Bytes payload = a.bytes.subspan(h->data_offset);
    if (h->has_object) {
      ctx.add_finding(make_finding(
          "numpy.object-array", Severity::info, Verdict::clean, "pickle-carrier",
          "the array holds Python objects: its payload is a pickle, which numpy.load unpickles "
          "when allow_pickle=True",
          h->data_offset, "descr " + h->descr));
      if (!payload.empty()) ctx.add_child(child_view(a, payload, "object-array-pickle"));
      return;
    }
    auto expected = h->payload_size();
    if (!expected) return;  // a dtype whose size we cannot compute: nothing more to check
    if (payload.size() < *expected) {
      ctx.add_finding(make_finding(
          "numpy.truncated", Severity::info, Verdict::clean, "format-anomaly",
          "the array payload is shorter than its header declares (numpy.load would fail)",
          h->data_offset,
          "expected " + std::to_string(*expected) + " bytes, found " + std::to_string(payload.size())));
    } else if (payload.size() > *expected) {
      const std::uint64_t extra = payload.size() - *expected;
      ctx.add_finding(make_finding(
          "numpy.trailing-data", Severity::medium, Verdict::suspicious, "format-anomaly",
          std::to_string(extra) + " bytes follow the array data; numpy.load ignores them, so they "
          "were scanned separately",
          h->data_offset + *expected));
      ctx.add_child(child_view(a, payload.subspan(static_cast<std::size_t>(*expected)), "trailing-data"));
    }
  }
};

}  // namespace

const FormatHandler& numpy_handler() {
  static const NumpyHandler handler;
  return handler;
}

}  // namespace hubguard::scan
