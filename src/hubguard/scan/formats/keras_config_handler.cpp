// "keras-config": a Keras model configuration as JSON text (the config.json member of a
// `.keras` archive, or one saved with model.to_json()). Recognised by content: a JSON
// object whose first keys include "class_name" (Keras writes module, class_name, config,
// registered_name in that order at the top). The walk itself is keras_config_walk.hpp.
#include <algorithm>

#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/json_guard.hpp"
#include "hubguard/scan/formats/keras_config_walk.hpp"

namespace hubguard::scan {
namespace {

constexpr std::size_t kSniff = 512;
constexpr std::uint64_t kMaxConfig = 256ULL << 20;

class KerasConfigHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "keras-config"; }

  bool accepts(const Artifact& a) const override {
    const auto head = as_text(a.bytes.first(std::min(a.bytes.size(), kSniff)));
    const auto start = head.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos || head[start] != '{') return false;
    auto key = head.find("\"class_name\"");
    if (key == std::string_view::npos) return false;
    // At the top level: only the opening brace before it, no nested object.
    return head.substr(start + 1, key - start - 1).find('{') == std::string_view::npos;
  }

  void scan(const Artifact& a, ScanContext& ctx) const override {
    if (a.bytes.size() > kMaxConfig) {
      ctx.unscannable("keras-config: larger than 256 MiB");
      return;
    }
    auto doc = parse_json_bounded(as_text(a.bytes));
    if (!doc) {
      ctx.unscannable("keras-config: " + doc.error().message);
      return;
    }
    if (!is_keras_config(*doc)) {
      ctx.unscannable("keras-config: a JSON object with class_name but no config");
      return;
    }
    try {
      scan_keras_config(*doc, 0, ctx);
    } catch (const std::exception& e) {
      ctx.unscannable(std::string("keras-config: ") + e.what());
    }
  }
};

}  // namespace

const FormatHandler& keras_config_handler() {
  static const KerasConfigHandler handler;
  return handler;
}

}  // namespace hubguard::scan
