// YARA rules over code and decoded text. The built-in rule set (builtin_rules.yar, embedded
// in the binary at build time) is compiled once per process; `--rules DIR` adds every
// *.yar/*.yara file of a directory, compiled together with the built-ins, once per
// directory. A compiled set is immutable and shared by all threads: libyara 4 keeps all
// per-scan state in a scanner created for each call, so concurrent scans need no lock.
// Each rule's meta (category, severity, verdict, description) becomes the finding.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/core/result.hpp"
#include "hubguard/report/verdict.hpp"

namespace hubguard::scan::rules {

struct RuleSource {
  std::string name;  // file name, for error messages
  std::string text;
  bool builtin = false;  // compiled into the "builtin" namespace, user files into "user"
};

struct RuleMatch {
  std::string rule;  // rule identifier
  std::string category = "custom";
  report::Severity severity = report::Severity::medium;
  report::Verdict verdict = report::Verdict::suspicious;
  std::string description;
  std::vector<std::string> matched;  // matched text, a few short snippets
  bool builtin = true;               // from the embedded set (false: from --rules DIR)
};

class CompiledRules;

// The built-in set, compiled on first use. An error here is a bug in builtin_rules.yar
// (tests compile it), reported as an error value rather than an abort.
Result<std::shared_ptr<const CompiledRules>> builtin_rules();

// Built-ins plus every *.yar / *.yara file in `dir` (not recursive, sorted by name), compiled
// once per directory per process. Errors name the file and line.
Result<std::shared_ptr<const CompiledRules>> rules_with_directory(const std::string& dir);

// Compile arbitrary sources together (tests, tools).
Result<std::shared_ptr<const CompiledRules>> compile_rules(const std::vector<RuleSource>& sources);

// Read the rule files of a directory.
Result<std::vector<RuleSource>> read_rules_directory(const std::string& dir);

std::string_view builtin_rules_text();

class CompiledRules {
 public:
  ~CompiledRules();
  CompiledRules(const CompiledRules&) = delete;
  CompiledRules& operator=(const CompiledRules&) = delete;

  // Every rule that matches `data`; an internal libyara error yields an Error.
  Result<std::vector<RuleMatch>> scan(std::string_view data) const;
  std::size_t rule_count() const { return rule_count_; }

 private:
  friend Result<std::shared_ptr<const CompiledRules>> compile_rules(const std::vector<RuleSource>&);
  CompiledRules() = default;
  void* rules_ = nullptr;  // YR_RULES*, kept opaque so users need not include yara.h
  std::size_t rule_count_ = 0;
};

}  // namespace hubguard::scan::rules
