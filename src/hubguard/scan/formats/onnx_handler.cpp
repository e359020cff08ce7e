// The "onnx" handler: an ONNX model is a protobuf ModelProto with no magic bytes, recognised
// by its structure (onnx_model_walk.hpp) and read without touching its weights. ONNX holds no
// Python, but three things in it reach outside the model when a runtime loads it:
//   - operators from domains no runtime ships need a native custom-op library loaded into
//     the process (suspicious: that library is code we cannot see). Ops that name a
//     model-local function are defined by the model itself and are fine;
//   - external tensor data whose location leaves the model's directory makes the loader read
//     an arbitrary file (dangerous, path traversal), by its text or through a symbolic link
//     when the model is a file on disk;
//   - model-level text (producer, doc strings, metadata_props) holding code or URLs, checked
//     like every format's metadata (metadata_text_check.hpp).
// A model that does not parse (truncated, lengths past the end, subgraphs nested too deep)
// is unscannable with the reason; findings made before the fault stay.
#include <set>

#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/metadata_text_check.hpp"
#include "hubguard/scan/formats/onnx_external_data.hpp"
#include "hubguard/scan/formats/onnx_model_walk.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

constexpr std::size_t kMaxEvidenceItems = 16;     // names listed in one finding's evidence
constexpr std::size_t kMaxLocationFindings = 16;  // escaping locations reported one by one
constexpr std::size_t kExcerpt = 160;

std::string excerpt(std::string_view s) {
  return one_line_excerpt(s, kExcerpt);
}

void report_custom_domains(const onnx::ModelFacts& m, ScanContext& ctx) {
  std::set<std::pair<std::string_view, std::string_view>> local;
  std::set<std::string_view> local_domains;
  for (const auto& fn : m.functions) {
    local.emplace(fn.domain, fn.name);
    local_domains.insert(fn.domain);
  }
  std::set<std::string_view> domains;
  std::string ops;
  std::uint64_t nodes = 0, distinct = 0, first_offset = 0;
  for (const auto& op : m.foreign_ops) {
    if (local.count({op.domain, op.op_type}) != 0) continue;  // the model defines it
    if (distinct == 0) first_offset = op.offset;
    nodes += op.nodes;
    domains.insert(op.domain);
    if (distinct++ < kMaxEvidenceItems)
      ops += (ops.empty() ? "" : ", ") + excerpt(op.domain) + "::" + excerpt(op.op_type);
  }
  if (distinct > kMaxEvidenceItems) ops += ", ... (" + std::to_string(distinct) + " distinct)";
  // Imported custom domains are named too: an import alone tells what the runtime must load.
  std::string imports;
  std::set<std::string_view> imported;
  for (const auto& imp : m.opset_imports) {
    if (onnx::is_standard_domain(imp.domain) || local_domains.count(imp.domain) != 0) continue;
    if (!imported.insert(imp.domain).second) continue;
    domains.insert(imp.domain);
    if (distinct == 0 && imported.size() == 1) first_offset = imp.offset;
    if (imported.size() <= kMaxEvidenceItems)
      imports +=
          (imports.empty() ? "" : ", ") + excerpt(imp.domain) + " v" + std::to_string(imp.version);
  }
  if (distinct == 0 && imports.empty()) return;
  std::string names;
  for (auto d : domains) {
    if (names.size() > 400) {
      names += ", ...";
      break;
    }
    names += (names.empty() ? "" : ", ") + excerpt(d);
  }
  std::string message =
      distinct > 0
          ? std::to_string(nodes) + " node(s) use " + std::to_string(distinct) +
                " operator(s) from custom domain(s) " + names +
                ": running the model needs a native custom-op library loaded into the runtime"
          : "the model imports operator set(s) from custom domain(s) " + names +
                ": a runtime would have to load a native custom-op library for them";
  std::string evidence = ops;
  if (!imports.empty())
    evidence += (evidence.empty() ? "" : "; ") + std::string("opset_import ") + imports;
  ctx.add_finding(make_finding("onnx.custom-domain", Severity::medium, Verdict::suspicious,
                               "custom-operator", std::move(message), first_offset,
                               std::move(evidence)));
}

report::Finding location_finding(std::string rule, const onnx::ExternalLocation& ext,
                                 std::string why) {
  auto f = make_finding(
      std::move(rule), Severity::high, Verdict::dangerous, "file-access",
      "tensor '" + excerpt(ext.first_tensor) + "'" +
          (ext.tensors > 1 ? " (and " + std::to_string(ext.tensors - 1) + " more)" : "") +
          " reads its external data from '" + excerpt(ext.location) + "', which " + why +
          ": loading the model reads a file outside the model's directory",
      ext.offset, excerpt(ext.location));
  f.indicators.push_back({"path", std::string(ext.location.substr(0, 1024))});
  return f;
}

void report_external_data(const Artifact& a, const onnx::ModelFacts& m, ScanContext& ctx) {
  std::size_t reported = 0, more = 0;
  auto add = [&](report::Finding f) {
    if (reported++ < kMaxLocationFindings)
      ctx.add_finding(std::move(f));
    else
      ++more;
  };
  for (const auto& ext : m.external) {
    if (auto why = onnx::location_escape(ext.location)) {
      add(location_finding("onnx.external-data-escape", ext, *why));
      continue;
    }
    // Only the file on disk has a directory to resolve against; a model inside an archive
    // is judged by its text alone.
    if (a.disk_path.empty() || a.depth != 0) continue;
    if (auto target = onnx::location_resolves_outside(a.disk_path, ext.location))
      add(location_finding("onnx.external-data-symlink", ext,
                           "is a symbolic link (or passes through one) to " + excerpt(*target)));
  }
  if (more > 0)
    ctx.add_finding(
        make_finding("onnx.external-data-escape", Severity::high, Verdict::dangerous, "file-access",
                     std::to_string(more) + " more external-data location(s) leave the model's "
                                            "directory (not listed one by one)"));
}

class OnnxHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "onnx"; }
  bool accepts(const Artifact& a) const override { return onnx::looks_like_model(a.bytes); }

  void scan(const Artifact& a, ScanContext& ctx) const override {
    const onnx::ModelFacts m = onnx::read_model(a.bytes);
    report_custom_domains(m, ctx);
    report_external_data(a, m, ctx);
    for (const auto& t : m.texts) check_metadata_text("onnx", t.key, t.value, t.offset, ctx);
    if (!m.error.empty()) ctx.unscannable("onnx: " + m.error);
  }
};

}  // namespace

const FormatHandler& onnx_handler() {
  static const OnnxHandler handler;
  return handler;
}

}  // namespace hubguard::scan
