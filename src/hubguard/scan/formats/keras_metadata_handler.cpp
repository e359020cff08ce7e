// "keras-metadata": keras_metadata.pb, which tf.keras writes beside saved_model.pb. It holds
// one JSON document per Keras object of the model (the same layer configs a .keras archive
// keeps in config.json), and Keras rebuilds the model from them when the SavedModel is
// loaded with tf.keras.models.load_model: a Lambda layer's marshalled bytecode inside runs
// then. Each node's JSON goes through the Keras config walk (keras_config_walk.hpp). A model
// node repeats the configs of its layers, so findings are reported once per distinct rule,
// message and evidence.
#include <algorithm>
#include <climits>
#include <exception>
#include <set>
#include <tuple>

#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/json_guard.hpp"
#include "hubguard/scan/formats/keras_config_walk.hpp"
#include "hubguard/scan/formats/proto/tf_saved_model.pb.h"
#include "hubguard/scan/formats/saved_model_sniff.hpp"
#include "hubguard/scan/formats/tf_proto_parse.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

// Forwards to the engine's context, dropping findings and code evidence already reported.
class DedupContext final : public ScanContext {
 public:
  explicit DedupContext(ScanContext& inner) : inner_(inner) {}
  const ScanOptions& options() const override { return inner_.options(); }
  void set_format(std::string f) override { inner_.set_format(std::move(f)); }
  void add_finding(report::Finding f) override {
    if (findings_.insert({f.rule, f.message, f.evidence}).second) inner_.add_finding(std::move(f));
  }
  void add_code(CodeEvidence c) override {
    if (code_.insert(c.text).second) inner_.add_code(std::move(c));
  }
  void add_child(Artifact child) override { inner_.add_child(std::move(child)); }
  void add_program(std::string text) override { inner_.add_program(std::move(text)); }
  void unscannable(std::string reason) override { inner_.unscannable(std::move(reason)); }
  bool charge_decompressed(std::uint64_t bytes) override { return inner_.charge_decompressed(bytes); }

 private:
  ScanContext& inner_;
  std::set<std::tuple<std::string, std::string, std::string>> findings_;
  std::set<std::string> code_;
};

// tf.keras writes this metadata with its own JSON encoder, which turns Python tuples into
// {"class_name": "__tuple__", "items": [...]}; a Lambda's (code, defaults, closure) tuple
// among them. Plain arrays again, the config reads like any other Keras 2 config. The
// document is depth-bounded by parse_json_bounded, so the recursion is too.
void untuple(nlohmann::json& node) {
  if (node.is_object()) {
    auto cls = node.find("class_name");
    auto items = node.find("items");
    if (cls != node.end() && items != node.end() && cls->is_string() && *cls == "__tuple__" &&
        items->is_array() && node.size() == 2) {
      nlohmann::json array = std::move(*items);
      node = std::move(array);
      untuple(node);
      return;
    }
  }
  if (node.is_object() || node.is_array())
    for (auto& value : node) untuple(value);
}

class KerasMetadataHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "keras-metadata"; }

  bool accepts(const Artifact& a) const override { return looks_like_keras_metadata(a.bytes); }

  void scan(const Artifact& a, ScanContext& outer) const override {
    const std::uint64_t limit =
        std::min<std::uint64_t>(outer.limits().max_scanned_member_size, static_cast<std::uint64_t>(INT_MAX));
    if (a.bytes.size() > limit) {
      outer.add_finding(make_finding("limit.keras-metadata-size", Severity::medium, Verdict::unscannable, "limit",
                                     "keras_metadata.pb is larger than the scan limit (" + std::to_string(limit) +
                                         " bytes); its layer configs were not analysed",
                                     0, std::to_string(a.bytes.size()) + " bytes"));
      return;
    }
    DedupContext ctx(outer);
    try {
      tfproto::KerasMetadata metadata;
      if (std::string why = parse_tf_proto(metadata, a.bytes); !why.empty()) {
        ctx.unscannable("keras-metadata: " + why);
        return;
      }
      std::string first_error;
      for (int i = 0; i < metadata.nodes_size(); ++i) {
        const auto& node = metadata.nodes(i);
        if (node.metadata().empty()) continue;
        auto doc = parse_json_bounded(node.metadata());
        if (!doc) {
          if (first_error.empty())
            first_error = "metadata of node " + std::to_string(node.node_id()) + " (" +
                          node.node_path().substr(0, 120) + ") is not JSON: " + doc.error().message;
          continue;
        }
        untuple(*doc);
        if (is_keras_config(*doc)) scan_keras_config(*doc, 0, ctx);
      }
      if (!first_error.empty()) ctx.unscannable("keras-metadata: " + first_error);
    } catch (const std::exception& e) {
      ctx.unscannable(std::string("keras-metadata: ") + e.what());
    }
  }
};

}  // namespace

const FormatHandler& keras_metadata_handler() {
  static const KerasMetadataHandler handler;
  return handler;
}

}  // namespace hubguard::scan
