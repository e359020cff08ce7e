#include "hubguard/scan/pickle/pickle_analysis.hpp"

#include <fmt/format.h>

#include <map>
#include <unordered_map>
#include <utility>

#include "hubguard/scan/pickle/call_resolution.hpp"
#include "hubguard/scan/pickle/program_printer.hpp"
#include "hubguard/scan/pickle/value_render.hpp"
#include "hubguard/scan/policy/classify.hpp"
#include "hubguard/scan/policy/code_heuristics.hpp"

namespace hubguard::scan::pickle {

namespace {

using report::Finding;
using report::Severity;
using report::Verdict;

constexpr std::size_t kMaxEvidence = 600;

std::string clip(std::string s) {
  if (s.size() > kMaxEvidence) {
    s.resize(kMaxEvidence);
    s += "\xE2\x80\xA6";
  }
  return s;
}

// Collects findings, merging repeats of the same rule on the same subject (a model that
// instantiates one unknown class 10,000 times gets one finding with a count).
class Collector {
 public:
  void add(Finding f, const std::string& subject) {
    auto key = std::make_pair(f.rule, subject);
    auto it = index_.find(key);
    if (it != index_.end()) {
      Entry& e = entries_[it->second];
      ++e.count;
      if (f.verdict > e.finding.verdict) {  // keep the worst occurrence as the example
        std::uint64_t first = e.finding.location.offset;
        e.finding = std::move(f);
        e.finding.location.offset = std::min(first, e.finding.location.offset);
      }
      return;
    }
    index_.emplace(std::move(key), entries_.size());
    entries_.push_back({std::move(f), 1});
  }
  std::vector<Finding> take() {
    std::vector<Finding> out;
    out.reserve(entries_.size());
    for (auto& e : entries_) {
      if (e.count > 1) e.finding.message += fmt::format(" ({} times)", e.count);
      out.push_back(std::move(e.finding));
    }
    return out;
  }

 private:
  struct Entry {
    Finding finding;
    std::size_t count;
  };
  std::vector<Entry> entries_;
  std::map<std::pair<std::string, std::string>, std::size_t> index_;
};

Finding make(std::string rule, Severity sev, Verdict verdict, std::string_view category,
             std::string message, std::uint64_t offset, std::string evidence) {
  return report::make_finding(std::move(rule), sev, verdict, std::string(category),
                              std::move(message), offset, clip(std::move(evidence)));
}

std::optional<policy::KnownBad> known_bad(const std::vector<std::string_view>& strings) {
  for (auto s : strings)
    if (auto k = policy::known_bad_behaviour(s)) return k;
  return std::nullopt;
}

bool any_code(const std::vector<std::string_view>& strings) {
  for (auto s : strings)
    if (policy::looks_like_code_or_command(s)) return true;
  return false;
}

// Classifications by canonical path: a state dict calls the same few callables thousands
// of times.
class PolicyCache {
 public:
  const policy::Classification& get(const std::string& path) {
    auto it = cache_.find(path);
    if (it == cache_.end()) it = cache_.emplace(path, policy::classify_path(path)).first;
    return it->second;
  }

 private:
  std::unordered_map<std::string, policy::Classification> cache_;
};

bool is_dunder(std::string_view name) {
  return name.size() > 4 && name.substr(0, 2) == "__" && name.substr(name.size() - 2) == "__";
}

// getattr(obj, 'name') is how protocol 4 pickles bound methods. It is only as dangerous as
// what it reaches: a constant, non-dunder name on an object whose resulting path is not
// dangerous (or on an object built in the pickle) is a plain attribute read. Anything else
// (computed names, dunders, attributes of dangerous modules) stays dangerous.
bool is_plain_attribute_read(const Program& p, const Call& c, const CallSummary& s,
                             PolicyCache& cache) {
  if (c.kind != CallKind::reduce || (s.callee != "builtins.getattr" && s.callee != "dill._dill._get_attr"))
    return false;
  const Node& args = p.nodes[c.args];
  if (args.kind != NodeKind::tuple || args.items.size() != 2) return false;
  const Node& name = p.nodes[args.items[1]];
  if (name.kind != NodeKind::str || name.text.empty() || is_dunder(name.text) ||
      name.text.find('.') != std::string_view::npos)
    return false;
  const Node& base = p.nodes[args.items[0]];
  if (base.kind != NodeKind::global && base.kind != NodeKind::call) return false;
  if (auto reached = object_path(p, c.result)) return cache.get(*reached).safety != policy::Safety::dangerous;
  // The base is an object built by the pickle (its construction is judged on its own).
  return base.kind == NodeKind::call && !object_path(p, args.items[0]).has_value();
}

void analyze_call(const Program& p, std::size_t i, Collector& out, PolicyCache& policy_cache) {
  const Call& c = p.calls[i];
  if (c.kind == CallKind::persistent_load) return;
  {
    CallSummary quick = summarize_call(p, i, false);
    if (!quick.mutation && !quick.callee.empty() &&
        policy_cache.get(quick.callee).safety == policy::Safety::safe)
      return;
    if (quick.mutation && quick.callee.empty()) return;
  }
  CallSummary s = summarize_call(p, i);

  if (s.mutation) {
    // Only mutations of module-level objects matter here; instances are judged by their class.
    if (s.callee.empty()) return;
    const char* how = c.kind == CallKind::build ? "BUILD sets attributes on" : "the stream writes items into";
    out.add(make("pickle.global-mutation", Severity::high, Verdict::dangerous, policy::kObfuscation,
                 fmt::format("{} the imported object {} (poisons what later imports see)", how, s.callee),
                 c.offset, render_call(p, i)),
            s.callee);
    return;
  }

  const auto bad = known_bad(s.strings);
  if (s.callee.empty()) {
    const bool code = any_code(s.strings);
    Verdict v = bad ? Verdict::malicious : code ? Verdict::dangerous : Verdict::suspicious;
    out.add(make("pickle.dynamic-call", code || bad ? Severity::high : Severity::medium, v,
                 bad ? bad->category : policy::kObfuscation,
                 bad ? fmt::format("calls a value computed at load time with a payload: {}", bad->description)
                     : code ? "calls a value computed at load time with code-like arguments"
                            : "calls a value computed at load time (callable not resolvable from constants)",
                 c.offset, render_call(p, i)),
            render_value(p, c.callable, {}));
    return;
  }

  const policy::Classification& cls = policy_cache.get(s.callee);
  const char* verb = s.instantiation ? "instantiates" : "calls";
  const std::string via = s.indirect ? " (reached indirectly)" : "";
  if (cls.safety == policy::Safety::safe) return;
  if (is_plain_attribute_read(p, c, s, policy_cache)) {
    out.add(make("pickle.unknown-call", Severity::medium, Verdict::suspicious, policy::kObfuscation,
                 fmt::format("reads a plain attribute with {} (how pickle stores bound methods); "
                             "the attribute is not known to be dangerous",
                             s.callee),
                 c.offset, render_call(p, i)),
            s.callee);
    return;
  }
  if (cls.safety == policy::Safety::dangerous) {
    Verdict v = bad ? Verdict::malicious : Verdict::dangerous;
    std::string_view category = bad ? bad->category : cls.category;
    std::string msg = fmt::format("{} {}{}: {}", verb, s.callee, via, cls.reason);
    if (bad) msg += fmt::format("; payload: {}", bad->description);
    out.add(make("pickle.dangerous-call", Severity::critical, v, category, std::move(msg), c.offset,
                 render_call(p, i)),
            s.callee);
    return;
  }
  const bool code = any_code(s.strings);
  Verdict v = bad ? Verdict::malicious : code ? Verdict::dangerous : Verdict::suspicious;
  std::string msg = fmt::format("{} {}{}, which is not known to be safe", verb, s.callee, via);
  if (bad)
    msg += fmt::format(", with a payload: {}", bad->description);
  else if (code)
    msg += ", with arguments that look like code or a shell command";
  out.add(make("pickle.unknown-call", code || bad ? Severity::high : Severity::medium, v,
               bad ? bad->category : code ? policy::kCodeExecution : std::string_view("unknown-callable"),
               std::move(msg), c.offset, render_call(p, i)),
          s.callee);
}

void analyze_imports(const Program& p, Collector& out) {
  const std::vector<bool> called = imports_called(p);
  for (std::size_t j = 0; j < p.imports.size(); ++j) {
    const Import& im = p.imports[j];
    if (im.kind == ImportKind::ext) {
      out.add(make("pickle.ext-opcode", Severity::medium, Verdict::suspicious, policy::kObfuscation,
                   fmt::format("EXT opcode imports extension code {} from the copyreg registry; "
                               "what it names is decided by the loading process",
                               im.ext_code),
                   im.offset, fmt::format("EXT {}", im.ext_code)),
              fmt::format("{}", im.ext_code));
      continue;
    }
    if (!im.constant) {
      out.add(make("pickle.nonconstant-global", Severity::high, Verdict::dangerous, policy::kObfuscation,
                   "STACK_GLOBAL imports a name computed at load time (hides what is imported)",
                   im.offset, import_path(im)),
              import_path(im));
      continue;
    }
    policy::Classification cls = policy::classify(im.module, im.name);
    if (cls.safety != policy::Safety::dangerous || called[j]) continue;
    out.add(make("pickle.dangerous-import", Severity::high, Verdict::dangerous, cls.category,
                 fmt::format("imports {} without calling it directly ({}); a later call, "
                             "__setstate__ or wrapper can still run it",
                             cls.path, cls.reason),
                 im.offset, fmt::format("{} {}", to_string(im.kind), cls.path)),
            cls.path);
  }
}

void analyze_structure(const Program& p, Collector& out) {
  if (!p.stopped) {
    out.add(make("pickle.broken-stream", Severity::medium, Verdict::suspicious, "format-anomaly",
                 fmt::format("pickle stream breaks at offset {} ({}); opcodes before the break "
                             "run when it is loaded",
                             p.error_offset, p.error),
                 p.error_offset, p.error),
            "");
  }
  for (const LimitHit& l : p.limits) {
    out.add(make("pickle.limit-exceeded", Severity::medium, Verdict::unscannable, "limit",
                 fmt::format("pickle analysis bound {} = {} reached", l.limit, l.value), l.offset,
                 l.limit),
            l.limit);
  }
  for (const Anomaly& a : p.anomalies) {
    out.add(make("pickle.anomaly", Severity::low, Verdict::suspicious, policy::kObfuscation,
                 a.message + " (not written by a normal pickler)", a.offset, a.message),
            a.message);
  }
}

}  // namespace

std::vector<report::Finding> analyze(const Program& program) {
  Collector out;
  PolicyCache cache;
  for (std::size_t i = 0; i < program.calls.size(); ++i) analyze_call(program, i, out, cache);
  analyze_imports(program, out);
  analyze_structure(program, out);
  return out.take();
}

std::vector<EmbeddedCode> embedded_code(const Program& p) {
  std::vector<EmbeddedCode> out;
  for (std::size_t i = 0; i < p.calls.size() && out.size() < 256; ++i) {
    const Call& c = p.calls[i];
    if (c.kind == CallKind::persistent_load || c.kind == CallKind::build) continue;
    CallSummary s = summarize_call(p, i);
    if (s.callee.empty() || s.mutation) continue;
    policy::Classification cls = policy::classify_path(s.callee);
    if (cls.safety != policy::Safety::dangerous) continue;
    const bool shell = cls.category == policy::kShellCommand || cls.category == policy::kReverseShell;
    if (!shell && cls.category != policy::kCodeExecution) continue;
    for (auto str : s.strings) {
      if (str.size() < 2) continue;
      out.push_back({shell, std::string(str), c.offset, s.callee});
    }
  }
  return out;
}

std::vector<NestedPayload> nested_payloads(const Program& p) {
  static constexpr std::string_view kLoaders[] = {
      "pickle.loads", "pickle._loads", "_pickle.loads", "dill.loads", "dill._dill.loads",
      "marshal.loads", "torch.storage._load_from_bytes", "cloudpickle.loads", "joblib.load"};
  std::vector<NestedPayload> out;
  for (std::size_t i = 0; i < p.calls.size() && out.size() < 64; ++i) {
    const Call& c = p.calls[i];
    if (c.kind != CallKind::reduce) continue;
    CallSummary s = summarize_call(p, i, false);
    bool loader = false;
    for (auto l : kLoaders) loader = loader || s.callee == l;
    if (!loader || c.args >= p.nodes.size()) continue;
    for (NodeId a : p.nodes[c.args].items) {
      const Node& n = p.nodes[a];
      if (n.kind == NodeKind::bytes || n.kind == NodeKind::bytearray)
        out.push_back({n.text, c.offset, s.callee});
    }
  }
  return out;
}

}  // namespace hubguard::scan::pickle
