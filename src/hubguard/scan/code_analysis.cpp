#include "hubguard/scan/code_analysis.hpp"

#include <algorithm>
#include <deque>
#include <set>

#include "hubguard/scan/behaviour.hpp"
#include "hubguard/scan/decode/layers.hpp"
#include "hubguard/scan/python/marshal_code.hpp"
#include "hubguard/scan/python/python_analysis.hpp"
#include "hubguard/scan/rules/rule_engine.hpp"
#include "hubguard/scan/shell_analysis.hpp"

namespace hubguard::scan {
namespace {

using report::Finding;
using report::Severity;
using report::Verdict;

// Per piece of evidence: how many derived texts (decoded layers, embedded commands,
// disassembled bytecode) are analysed, and how many obfuscation findings are reported.
constexpr std::size_t kMaxItems = 48;
constexpr std::size_t kMaxObfuscationFindings = 4;
constexpr std::size_t kExcerpt = 300;

std::string excerpt(std::string_view text) {
  std::string out(text.substr(0, kExcerpt));
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  if (text.size() > kExcerpt) out += "...";
  return out;
}

bool looks_like_shell(std::string_view t) {
  static constexpr std::string_view kStarts[] = {
      "curl ", "wget ", "bash", "sh ", "/bin/", "/usr/bin/", "nc ", "ncat ", "rm ", "echo ",
      "chmod ", "cd ", "python", "powershell", "cmd ", "cmd.exe", "perl ", "crontab", "nohup ",
      "mkfifo ", "export ", "sudo ", "cat ", "./", "certutil", "whoami", "uname", "id;", "ls "};
  while (!t.empty() && (t.front() == ' ' || t.front() == '\n' || t.front() == '\t')) t.remove_prefix(1);
  for (auto s : kStarts)
    if (t.starts_with(s)) return true;
  return t.find(" | ") != std::string_view::npos || t.find("&&") != std::string_view::npos ||
         t.find("/dev/tcp/") != std::string_view::npos;
}

bool looks_like_python(std::string_view t) {
  static constexpr std::string_view kMarkers[] = {"import ", "__import__", "exec(", "eval(", "def ",
                                                  "lambda", "print(", "os.", "getattr(", "open(",
                                                  "subprocess", "socket", "compile("};
  for (auto m : kMarkers)
    if (t.find(m) != std::string_view::npos) return true;
  return false;
}

struct Item {
  std::string text;
  CodeKind kind = CodeKind::code_string;
  std::string how;        // decoding path from the original evidence; empty for the original
  bool encoded = false;   // reached through an encoding or compression
};

class Orchestrator {
 public:
  Orchestrator(const CodeEvidence& code, const ScanOptions& options)
      : code_(code), options_(options), decode_limits_(decode::decode_limits_from(options.limits)) {}

  std::vector<Finding> run() {
    Item root{std::string(std::string_view(code_.text).substr(0, options_.limits.max_source_size)), code_.kind, "", false};
    if (code_.text.size() > options_.limits.max_source_size) truncated_ = true;
    queue_.push_back(std::move(root));
    while (!queue_.empty() && analysed_ < kMaxItems) {
      Item item = std::move(queue_.front());
      queue_.pop_front();
      ++analysed_;
      analyse(item);
    }
    if (!queue_.empty() || truncated_) {
      findings_.push_back(make("code.limit", Severity::low, Verdict::unscannable, "limit",
                               "the code carries more layers or text than the analysis limits allow; "
                               "the rest was not analysed",
                               ""));
    }
    finish();
    return std::move(findings_);
  }

 private:
  Finding make(std::string rule, Severity s, Verdict v, std::string category, std::string message,
               std::string evidence) const {
    return report::make_finding(std::move(rule), s, v, std::move(category), std::move(message),
                                code_.offset, std::move(evidence));
  }

  std::string origin(const Item& item) const {
    std::string o = code_.via.empty() ? "code" : code_.via;
    if (!item.how.empty()) o += ", decoded through " + item.how;
    return o;
  }

  void enqueue(Item item) {
    if (queue_.size() + analysed_ >= kMaxItems) {
      truncated_ = true;
      return;
    }
    if (!seen_.insert(std::hash<std::string>{}(item.text)).second) return;
    queue_.push_back(std::move(item));
  }

  void analyse(const Item& item) {
    std::vector<Finding> found;
    // 1. Python: sources, code strings, pseudo-source of bytecode, Python-looking layers.
    const bool python_text = item.kind == CodeKind::python_source || item.kind == CodeKind::bytecode ||
                             (item.kind == CodeKind::code_string && (item.how.empty() || looks_like_python(item.text)));
    if (python_text) {
      python::PythonAnalysisOptions po;
      po.limits = options_.limits;
      po.origin = origin(item);
      po.base_offset = item.kind == CodeKind::python_source && item.how.empty() ? code_.offset : 0;
      for (auto& f : python::analyze_python(item.text, po)) {
        if (item.kind != CodeKind::python_source || !item.how.empty()) f.location.offset = code_.offset;
        found.push_back(std::move(f));
      }
    }
    // 2. Shell: commands and shell-looking layers.
    const bool shell_text = item.kind == CodeKind::shell_command || (!item.how.empty() && looks_like_shell(item.text));
    if (shell_text) {
      auto shell = analyze_shell_command(item.text);
      for (auto& f : shell.findings) {
        f.location.offset = code_.offset;
        if (!item.how.empty()) f.message += " (" + origin(item) + ")";
        found.push_back(std::move(f));
      }
      for (auto& py : shell.python_code) enqueue({std::move(py), CodeKind::code_string, join(item.how, "python -c"), item.encoded});
      for (auto& sh : shell.shell_code) enqueue({std::move(sh), CodeKind::shell_command, join(item.how, "shell -c"), item.encoded});
    }
    // 3. YARA over every text.
    run_rules(item, found);
    // 4. Indicators of the text this finding came from.
    for (auto& f : found)
      if (f.verdict >= Verdict::suspicious) {
        add_indicators(f, f.evidence);
        add_indicators(f, item.text);
      }
    for (auto& f : found) findings_.push_back(std::move(f));
    // 5. Decoding layers: each becomes an item of its own.
    for (auto& layer : decode::decode_layers(item.text, decode_limits_)) {
      const std::string how = join(item.how, layer.how);
      if (layer.content == decode::LayerContent::marshal) {
        if (auto bytecode = python::code_from_marshal(as_bytes(layer.data), options_.limits, "marshalled code")) {
          report_obfuscation(how + " > marshal", bytecode->text);
          enqueue({std::move(bytecode->text), CodeKind::bytecode, how + " > marshal", true});
        }
        continue;
      }
      const bool encoded = item.encoded || layer.encoded;
      if (layer.encoded && decode::looks_like_code(layer.data)) report_obfuscation(how, layer.data);
      CodeKind kind = looks_like_shell(layer.data) && !looks_like_python(layer.data) ? CodeKind::shell_command
                                                                                       : CodeKind::code_string;
      enqueue({std::move(layer.data), kind, how, encoded});
    }
  }

  static std::string join(const std::string& a, std::string_view b) {
    return a.empty() ? std::string(b) : a + " > " + std::string(b);
  }

  void run_rules(const Item& item, std::vector<Finding>& found) {
    auto rules = rules::rules_with_directory(options_.rules_dir);
    if (!rules) {
      if (!rules_error_reported_) {
        rules_error_reported_ = true;
        found.push_back(make("rules.unavailable", Severity::medium, Verdict::unscannable, "limit",
                             rules.error().message, options_.rules_dir));
      }
      rules = rules::builtin_rules();
      if (!rules) return;
    }
    auto matches = (*rules)->scan(item.text);
    if (!matches) return;
    for (auto& m : *matches) {
      Finding f = make(std::string(m.builtin ? "yara." : "yara.user.") + m.rule, m.severity, m.verdict, m.category,
                       (m.description.empty() ? "YARA rule " + m.rule + " matched" : m.description) + " (" +
                           origin(item) + ")",
                       "");
      for (const auto& s : m.matched) f.evidence += (f.evidence.empty() ? "" : " | ") + s;
      found.push_back(std::move(f));
    }
  }

  void report_obfuscation(const std::string& how, std::string_view decoded) {
    if (obfuscation_reported_ >= kMaxObfuscationFindings) return;
    ++obfuscation_reported_;
    // Code that runs on load and hides more code is a known-bad technique; in a source file
    // an encoded blob of code is suspicious until its content says more.
    const bool runs_on_load = code_.kind != CodeKind::python_source;
    findings_.push_back(make("code.obfuscated-payload", Severity::high,
                             runs_on_load ? Verdict::malicious : Verdict::suspicious, "obfuscation",
                             "code hidden under " + how + " (" + (code_.via.empty() ? "code" : code_.via) + ")",
                             "[" + how + "] " + excerpt(decoded)));
  }

  // Dedupe: one finding per rule and evidence (a YARA rule per rule id), the shallowest
  // first; indicators of duplicates are merged into the one kept.
  void finish() {
    std::vector<Finding> kept;
    for (auto& f : findings_) {
      const bool by_rule = f.rule.starts_with("yara.") || f.rule == "code.limit" || f.rule == "rules.unavailable";
      auto same = std::find_if(kept.begin(), kept.end(), [&](const Finding& k) {
        return k.rule == f.rule && (by_rule || k.evidence == f.evidence);
      });
      // A shell classification that a YARA rule already reported in the same class adds nothing.
      if (same == kept.end() && f.rule.starts_with("shell.")) {
        same = std::find_if(kept.begin(), kept.end(), [&](const Finding& k) {
          return k.rule.starts_with("yara.") && k.category == f.category;
        });
      }
      if (same == kept.end()) {
        kept.push_back(std::move(f));
        continue;
      }
      for (auto& i : f.indicators) {
        const bool known = std::any_of(same->indicators.begin(), same->indicators.end(), [&](const auto& x) {
          return x.kind == i.kind && x.value == i.value;
        });
        if (!known && same->indicators.size() < 32) same->indicators.push_back(std::move(i));
      }
    }
    findings_ = std::move(kept);
  }

  const CodeEvidence& code_;
  const ScanOptions& options_;
  decode::DecodeLimits decode_limits_;
  std::deque<Item> queue_;
  std::set<std::size_t> seen_;
  std::vector<Finding> findings_;
  std::size_t analysed_ = 0;
  std::size_t obfuscation_reported_ = 0;
  bool truncated_ = false;
  bool rules_error_reported_ = false;
};

}  // namespace

std::vector<report::Finding> analyze_code(const CodeEvidence& code, const ScanOptions& options) {
  try {
    return Orchestrator(code, options).run();
  } catch (const std::bad_alloc&) {
    Finding f;
    f.rule = "code.out-of-memory";
    f.severity = Severity::medium;
    f.verdict = Verdict::unscannable;
    f.category = "limit";
    f.message = "code analysis ran out of memory";
    f.location.offset = code.offset;
    return {f};
  }
}

}  // namespace hubguard::scan
