#include "hubguard/scan/formats/saved_model_graph_check.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "hubguard/scan/formats/tf_standard_ops.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;
namespace tp = hubguard::tfproto;

// Path resolution walks back through at most this many nodes per path (graphs are DAGs;
// the budget keeps a hostile fan-out from making it exponential).
constexpr unsigned kResolveBudget = 256;
constexpr std::size_t kMaxValues = 16;
constexpr std::size_t kMaxPathLength = 4096;
// Findings of one rule beyond this many are summarised in one more finding.
constexpr std::size_t kMaxFindingsPerRule = 50;
// A part of a path computed at run time (a placeholder, a function argument ...).
constexpr char kRuntime = '\x01';

const tp::Attr* find_attr(const tp::Node& n, std::string_view key) {
  for (const auto& e : n.attr())
    if (e.key() == key) return &e.value();
  return nullptr;
}

std::string printable(std::string_view s, std::size_t max = 200) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    if (c == kRuntime) out += "<runtime>";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) out += '?';
    else out += c;
  }
  return out;
}

// Node inputs name "node", "node:1", "^node" (a control edge) or, in function bodies,
// "node:output_arg:0" or a function argument.
std::string_view input_node(std::string_view input) {
  if (input.empty() || input[0] == '^') return {};
  return input.substr(0, input.find(':'));
}

// Ops that pass a string through unchanged (for path resolution): the value is input 0.
bool is_pass_through(std::string_view op) {
  static const std::unordered_set<std::string_view> kOps{
      "Identity", "Snapshot", "StopGradient", "PlaceholderWithDefault", "ShardedFilename",
      "ShardedFilespec", "RefIdentity", "PreventGradient", "EnsureShape", "CheckNumerics"};
  return kOps.count(op) > 0;
}

// Why a path leaves the model's directory, or empty when it does not (or cannot be told).
std::string path_escape(std::string_view p) {
  const auto scheme = p.find("://");
  if (scheme != std::string_view::npos && scheme > 0 &&
      std::all_of(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(scheme),
                  [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+'; })) {
    std::string name(p.substr(0, scheme));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name != "file") return "a remote file system (" + name + "://)";
    p.remove_prefix(scheme + 3);
  }
  if (!p.empty() && p[0] != kRuntime) {
    if (p[0] == '/' || p[0] == '\\') return "an absolute path";
    if (p[0] == '~') return "a home-directory path";
    if (p.size() >= 3 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':' &&
        (p[2] == '/' || p[2] == '\\'))
      return "an absolute Windows path";
  }
  std::size_t start = 0;
  while (start <= p.size()) {
    auto end = p.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = p.size();
    if (p.substr(start, end - start) == "..") return "a path climbing out with '..'";
    start = end + 1;
  }
  return {};
}

// Ops whose listed inputs are file paths the op reads or writes. A constant path that
// escapes the model directory is reported; a placeholder or relative path is normal.
struct PathOp {
  std::string_view op;
  int first, second;  // input indices; -1 = none
  std::string_view action;
};
constexpr PathOp kPathOps[] = {
    {"Save", 0, -1, "writes a checkpoint to"},
    {"SaveV2", 0, -1, "writes a checkpoint to"},
    {"SaveSlices", 0, -1, "writes a checkpoint to"},
    {"Restore", 0, -1, "reads a checkpoint from"},
    {"RestoreV2", 0, -1, "reads a checkpoint from"},
    {"RestoreSlice", 0, -1, "reads a checkpoint from"},
    {"ShardedFilename", 0, -1, "names checkpoint shards at"},
    {"MergeV2Checkpoints", 0, 1, "merges and deletes checkpoint files at"},
    {"InitializeTableFromTextFile", 1, -1, "reads a vocabulary from"},
    {"InitializeTableFromTextFileV2", 1, -1, "reads a vocabulary from"},
    {"TextLineDataset", 0, -1, "reads"},
    {"TFRecordDataset", 0, -1, "reads"},
    {"FixedLengthRecordDataset", 0, -1, "reads"},
    {"FixedLengthRecordDatasetV2", 0, -1, "reads"},
    {"MatchingFilesDataset", 0, -1, "lists files matching"},
    {"ExperimentalMatchingFilesDataset", 0, -1, "lists files matching"},
    {"DatasetToTFRecord", 1, -1, "writes"},
    {"ExperimentalDatasetToTFRecord", 1, -1, "writes"},
    {"SaveDataset", 1, -1, "writes a dataset to"},
    {"SaveDatasetV2", 1, -1, "writes a dataset to"},
    {"LoadDataset", 0, -1, "reads a dataset from"},
    {"CreateSummaryFileWriter", 1, -1, "writes event files to"},
};

const PathOp* path_op(std::string_view op) {
  for (const auto& p : kPathOps)
    if (p.op == op) return &p;
  return nullptr;
}

bool is_python_op(std::string_view op) {
  return op == "PyFunc" || op == "PyFuncStateless" || op == "EagerPyFunc";
}

// One graph scope: the meta graph's GraphDef or one function body. Node names are unique
// within a scope and inputs refer to names of the same scope.
class ScopeCheck {
 public:
  ScopeCheck(std::string where, const google::protobuf::RepeatedPtrField<tp::Node>& nodes)
      : where_(std::move(where)), nodes_(nodes) {
    for (const auto& n : nodes_) by_name_.emplace(n.name(), &n);
  }

  template <class Report>
  void run(const std::unordered_set<std::string>& functions,
           std::map<std::string, std::pair<std::size_t, std::string>>& custom_ops, Report&& report) {
    for (const auto& n : nodes_) {
      const std::string& op = n.op();
      const std::string at = "node '" + printable(n.name(), 120) + "' in " + where_;
      if (is_python_op(op)) {
        const tp::Attr* token = find_attr(n, "token");
        report("savedmodel.python-op", Severity::critical, Verdict::dangerous, "code-execution",
               op + " calls back into Python code registered in the loading process; a model that "
                    "ships it expects to run Python",
               op + " " + at + (token ? " (token " + printable(token->s(), 80) + ")" : ""));
      } else if (op == "ReadFile" || op == "MatchingFiles" || op == "WriteFile") {
        const bool write = op == "WriteFile";
        std::string paths = describe_paths(n, 0);
        report(write ? "savedmodel.file-write" : "savedmodel.file-read", Severity::high,
               Verdict::dangerous, "file-access",
               op + (write ? " writes a file when the graph runs"
                           : (op == "ReadFile" ? " reads a file when the graph runs"
                                               : " lists files when the graph runs")),
               op + " " + at + " path " + paths);
      } else if (op == "PrintV2") {
        const tp::Attr* stream = find_attr(n, "output_stream");
        if (stream && stream->s().rfind("file://", 0) == 0)
          report("savedmodel.print-to-file", Severity::high, Verdict::dangerous, "file-access",
                 "PrintV2 appends tensors to a file on the host when the graph runs",
                 op + " " + at + " output_stream " + printable(stream->s()));
      } else if (const PathOp* p = path_op(op)) {
        for (int index : {p->first, p->second}) {
          if (index < 0 || index >= n.input_size()) continue;
          for (const auto& value : resolve(n.input(index))) {
            const std::string why = path_escape(value);
            if (why.empty() || !reported_paths_.insert(value).second) continue;
            report("savedmodel.path-escape", Severity::high, Verdict::dangerous, "file-access",
                   op + " " + std::string(p->action) + " " + why + " outside the model directory",
                   op + " " + at + " path '" + printable(value) + "'");
          }
        }
      }
      if (!op.empty() && !is_standard_tf_op(op) && functions.count(op) == 0) {
        auto& entry = custom_ops[op];
        if (entry.first++ == 0) entry.second = at;
      }
    }
  }

 private:
  // The constant values a path input can take ("<runtime>" for computed parts).
  std::vector<std::string> resolve(std::string_view input) {
    unsigned budget = kResolveBudget;
    return resolve(input, budget);
  }

  std::vector<std::string> resolve(std::string_view input, unsigned& budget) {
    const std::vector<std::string> unknown{std::string(1, kRuntime)};
    const auto name = input_node(input);
    if (name.empty() || budget == 0) return unknown;
    --budget;
    const auto it = by_name_.find(std::string(name));
    if (it == by_name_.end()) return unknown;
    const tp::Node& n = *it->second;
    if (n.op() == "Const") {
      const tp::Attr* v = find_attr(n, "value");
      if (!v || !v->has_tensor() || v->tensor().string_val_size() == 0) return unknown;
      std::vector<std::string> out;
      for (int i = 0; i < v->tensor().string_val_size() && out.size() < kMaxValues; ++i)
        out.push_back(v->tensor().string_val(i).substr(0, kMaxPathLength));
      return out;
    }
    if (is_pass_through(n.op()) && n.input_size() > 0) return resolve(n.input(0), budget);
    if (n.op() == "StringJoin") {
      const tp::Attr* sep = find_attr(n, "separator");
      std::string joined;
      bool first = true;
      for (const auto& in : n.input()) {
        if (!in.empty() && in[0] == '^') continue;
        if (!first && sep) joined += sep->s();
        first = false;
        joined += resolve(in, budget).front();
        if (joined.size() > kMaxPathLength) break;
      }
      return {joined.substr(0, kMaxPathLength)};
    }
    return unknown;
  }

  std::string describe_paths(const tp::Node& n, int index) {
    if (index >= n.input_size()) return "(none)";
    std::string out;
    for (const auto& v : resolve(n.input(index))) {
      if (!out.empty()) out += ", ";
      out += v == std::string(1, kRuntime) ? "computed at run time" : "'" + printable(v) + "'";
    }
    return out;
  }

  std::string where_;
  const google::protobuf::RepeatedPtrField<tp::Node>& nodes_;
  std::unordered_map<std::string, const tp::Node*> by_name_;
  std::set<std::string> reported_paths_;
};

}  // namespace

void check_saved_model_graphs(const tfproto::SavedModel& model, ScanContext& ctx) {
  std::map<std::string, std::size_t> per_rule;
  auto report = [&](std::string rule, Severity sev, Verdict verdict, std::string category,
                    std::string message, std::string evidence) {
    auto& count = per_rule[rule];
    if (++count > kMaxFindingsPerRule) return;
    ctx.add_finding(make_finding(std::move(rule), sev, verdict, std::move(category),
                                 std::move(message), 0, std::move(evidence)));
  };
  std::map<std::string, std::pair<std::size_t, std::string>> custom_ops;  // op -> (count, first)

  for (int g = 0; g < model.meta_graphs_size(); ++g) {
    const auto& meta = model.meta_graphs(g);
    if (!meta.has_graph_def()) continue;
    const auto& graph = meta.graph_def();
    std::unordered_set<std::string> functions;
    for (const auto& f : graph.library().function()) functions.insert(f.signature().name());
    const std::string suffix = model.meta_graphs_size() > 1 ? " of meta graph " + std::to_string(g) : "";
    ScopeCheck("the graph" + suffix, graph.node()).run(functions, custom_ops, report);
    for (const auto& f : graph.library().function())
      ScopeCheck("function '" + printable(f.signature().name(), 160) + "'" + suffix, f.node_def())
          .run(functions, custom_ops, report);
  }

  std::size_t custom_reported = 0;
  for (const auto& [op, seen] : custom_ops) {
    if (++custom_reported > kMaxFindingsPerRule) break;
    ctx.add_finding(make_finding(
        "savedmodel.custom-op", Severity::medium, Verdict::suspicious, "custom-operator",
        "op " + printable(op, 120) + " is not a standard TensorFlow op: the model runs only after a "
            "custom-op shared library (native code) is loaded",
        0, printable(op, 120) + " used by " + std::to_string(seen.first) + " node(s), first " + seen.second));
  }
  for (const auto& [rule, count] : per_rule)
    if (count > kMaxFindingsPerRule)
      ctx.add_finding(make_finding(rule, Severity::info, Verdict::clean, "limit",
                                   std::to_string(count - kMaxFindingsPerRule) + " more " + rule +
                                       " finding(s) not listed"));
  if (custom_ops.size() > kMaxFindingsPerRule)
    ctx.add_finding(make_finding("savedmodel.custom-op", Severity::info, Verdict::clean, "limit",
                                 std::to_string(custom_ops.size() - kMaxFindingsPerRule) +
                                     " more custom op name(s) not listed"));
}

}  // namespace hubguard::scan
