// "tf-savedmodel": TensorFlow's saved_model.pb, the graph half of a SavedModel directory
// (weights live in variables/, Keras layer configs in keras_metadata.pb, each scanned as its
// own file). Recognised by content (saved_model_sniff.hpp), parsed with our own protobuf
// subset (proto/tf_saved_model.proto) under size and nesting bounds, and judged node by
// node, functions included (saved_model_graph_check.hpp). Graphs hold no weights, but Const
// nodes can embed large tensors: a file above the scan size limit is reported, not parsed.
#include <algorithm>
#include <climits>
#include <exception>

#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/proto/tf_saved_model.pb.h"
#include "hubguard/scan/formats/saved_model_graph_check.hpp"
#include "hubguard/scan/formats/saved_model_sniff.hpp"
#include "hubguard/scan/formats/tf_proto_parse.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

class SavedModelHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "tf-savedmodel"; }

  bool accepts(const Artifact& a) const override { return looks_like_saved_model(a.bytes, a.name); }

  void scan(const Artifact& a, ScanContext& ctx) const override {
    const std::uint64_t limit =
        std::min<std::uint64_t>(ctx.limits().max_scanned_member_size, static_cast<std::uint64_t>(INT_MAX));
    if (a.bytes.size() > limit) {
      ctx.add_finding(make_finding("limit.savedmodel-size", Severity::medium, Verdict::unscannable, "limit",
                                   "saved_model.pb is larger than the scan limit (" + std::to_string(limit) +
                                       " bytes); its graph was not analysed",
                                   0, std::to_string(a.bytes.size()) + " bytes"));
      return;
    }
    try {
      tfproto::SavedModel model;
      if (std::string why = parse_tf_proto(model, a.bytes); !why.empty()) {
        ctx.unscannable("tf-savedmodel: " + why);
        return;
      }
      if (model.meta_graphs_size() == 0) {
        ctx.unscannable("tf-savedmodel: no meta graph");
        return;
      }
      check_saved_model_graphs(model, ctx);
    } catch (const std::exception& e) {
      ctx.unscannable(std::string("tf-savedmodel: ") + e.what());
    }
  }
};

}  // namespace

const FormatHandler& saved_model_handler() {
  static const SavedModelHandler handler;
  return handler;
}

}  // namespace hubguard::scan
