#include "hubguard/scan/rules/rule_engine.hpp"

#include <yara.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "hubguard/scan/rules/builtin_rules_text.hpp"

namespace hubguard::scan::rules {
namespace {

constexpr std::size_t kMaxSnippets = 4;
constexpr std::size_t kMaxSnippet = 160;
constexpr int kScanTimeoutSeconds = 30;
constexpr std::uintmax_t kMaxRuleFile = 16u << 20;

// libyara's global state: yr_initialize is reference counted but not itself thread-safe, so
// it runs exactly once (a function-local static) and is never finalized while threads may
// still scan. The compiler shares parser state inside libyara; compiles are serialised.
std::mutex& compile_mutex() {
  static std::mutex m;
  return m;
}

bool initialize_yara() {
  static const bool ok = yr_initialize() == ERROR_SUCCESS;
  return ok;
}

struct CompileErrors {
  std::vector<std::string> messages;
};

void on_compile_message(int level, const char*, int line, const YR_RULE*, const char* message,
                        void* user) {
  if (level != YARA_ERROR_LEVEL_ERROR) return;  // warnings (slow strings ...) are not failures
  auto* errors = static_cast<CompileErrors*>(user);
  std::ostringstream m;
  m << "line " << line << ": " << (message ? message : "error");
  errors->messages.push_back(m.str());
}

struct ScanState {
  std::vector<RuleMatch> matches;
};

std::string printable_snippet(const std::uint8_t* data, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n && s.size() < kMaxSnippet; ++i) {
    const char c = static_cast<char>(data[i]);
    s.push_back(data[i] >= 0x20 && data[i] < 0x7f ? c : '.');
  }
  return s;
}

int on_scan_message(YR_SCAN_CONTEXT* context, int message, void* message_data, void* user) {
  if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
  auto* state = static_cast<ScanState*>(user);
  const auto* rule = static_cast<const YR_RULE*>(message_data);
  RuleMatch m;
  m.rule = rule->identifier;
  m.builtin = rule->ns != nullptr && std::string_view(rule->ns->name) == "builtin";
  const YR_META* meta;
  yr_rule_metas_foreach(rule, meta) {
    if (meta->type != META_TYPE_STRING || meta->string == nullptr) continue;
    const std::string_view key = meta->identifier;
    const std::string value = meta->string;
    if (key == "category") {
      m.category = value;
    } else if (key == "severity") {
      if (auto s = report::parse_severity(value)) m.severity = *s;
    } else if (key == "verdict") {
      // A rule can only mark a file suspicious or worse; "clean" would let a rule hide others.
      if (auto v = report::parse_verdict(value); v && *v != report::Verdict::clean) m.verdict = *v;
    } else if (key == "description") {
      m.description = value;
    }
  }
  const YR_STRING* string;
  yr_rule_strings_foreach(rule, string) {
    // libyara 4.2 packs YR_MATCH records into its notebook without aligning them, so each
    // record is copied to an aligned local before its fields are read (UBSan flags the
    // direct member access that yr_string_matches_foreach does).
    const YR_MATCH* next = context->matches[string->idx].head;
    while (next != nullptr && m.matched.size() < kMaxSnippets) {
      YR_MATCH match;
      std::memcpy(&match, next, sizeof match);
      next = match.next;
      if (match.is_private) continue;
      std::string snippet = printable_snippet(match.data, static_cast<std::size_t>(match.data_length));
      if (std::find(m.matched.begin(), m.matched.end(), snippet) == m.matched.end())
        m.matched.push_back(std::move(snippet));
    }
  }
  state->matches.push_back(std::move(m));
  return CALLBACK_CONTINUE;
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return make_error(path.string() + ": " + ec.message());
  if (size > kMaxRuleFile) return make_error(path.string() + ": rule file larger than 16 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path.string() + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string_view builtin_rules_text() { return kBuiltinRulesText; }

CompiledRules::~CompiledRules() {
  if (rules_ != nullptr) yr_rules_destroy(static_cast<YR_RULES*>(rules_));
}

Result<std::shared_ptr<const CompiledRules>> compile_rules(const std::vector<RuleSource>& sources) {
  if (!initialize_yara()) return make_error("libyara failed to initialise");
  std::lock_guard lock(compile_mutex());
  YR_COMPILER* compiler = nullptr;
  if (yr_compiler_create(&compiler) != ERROR_SUCCESS) return make_error("libyara: cannot create a compiler");
  CompileErrors errors;
  yr_compiler_set_callback(compiler, on_compile_message, &errors);
  for (const auto& source : sources) {
    // Sources are added one by one (libyara accumulates them into one set) so that each
    // error message can name its file.
    const std::size_t before = errors.messages.size();
    yr_compiler_add_string(compiler, source.text.c_str(), source.builtin ? "builtin" : "user");
    for (std::size_t i = before; i < errors.messages.size(); ++i)
      errors.messages[i] = source.name + ": " + errors.messages[i];
    if (!errors.messages.empty()) break;  // libyara refuses further sources after an error
  }
  if (!errors.messages.empty()) {
    yr_compiler_destroy(compiler);
    std::string all;
    for (const auto& e : errors.messages) all += (all.empty() ? "" : "; ") + e;
    return make_error("YARA rules do not compile: " + all);
  }
  YR_RULES* compiled = nullptr;
  const int rc = yr_compiler_get_rules(compiler, &compiled);
  yr_compiler_destroy(compiler);
  if (rc != ERROR_SUCCESS || compiled == nullptr) return make_error("libyara: cannot build the rule set");
  std::shared_ptr<CompiledRules> out(new CompiledRules());
  out->rules_ = compiled;
  const YR_RULE* rule;
  yr_rules_foreach(compiled, rule) { ++out->rule_count_; }
  return std::shared_ptr<const CompiledRules>(std::move(out));
}

Result<std::vector<RuleMatch>> CompiledRules::scan(std::string_view data) const {
  ScanState state;
  const int rc = yr_rules_scan_mem(static_cast<YR_RULES*>(rules_),
                                   reinterpret_cast<const std::uint8_t*>(data.data()), data.size(),
                                   SCAN_FLAGS_NO_TRYCATCH | SCAN_FLAGS_REPORT_RULES_MATCHING,
                                   on_scan_message, &state, kScanTimeoutSeconds);
  if (rc != ERROR_SUCCESS) {
    // Keep what matched before the error (timeout, too many matches): those rules did fire.
    if (!state.matches.empty()) return state.matches;
    return make_error("YARA scan failed (libyara error " + std::to_string(rc) + ")");
  }
  return state.matches;
}

Result<std::shared_ptr<const CompiledRules>> builtin_rules() {
  static const Result<std::shared_ptr<const CompiledRules>> compiled =
      compile_rules({RuleSource{"builtin_rules.yar", std::string(kBuiltinRulesText), true}});
  return compiled;
}

Result<std::vector<RuleSource>> read_rules_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return make_error("--rules: not a directory: " + dir);
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto ext = it->path().extension().string();
    if ((ext == ".yar" || ext == ".yara") && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) return make_error("--rules: " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<RuleSource> sources;
  for (const auto& f : files) {
    auto text = read_file(f);
    if (!text) return text.error();
    sources.push_back(RuleSource{f.filename().string(), std::move(*text), false});
  }
  return sources;
}

Result<std::shared_ptr<const CompiledRules>> rules_with_directory(const std::string& dir) {
  if (dir.empty()) return builtin_rules();
  static std::mutex cache_mutex;
  static std::map<std::string, Result<std::shared_ptr<const CompiledRules>>> cache;
  std::lock_guard lock(cache_mutex);
  if (auto it = cache.find(dir); it != cache.end()) return it->second;
  auto user = read_rules_directory(dir);
  if (!user) return cache.emplace(dir, user.error()).first->second;
  std::vector<RuleSource> sources{RuleSource{"builtin_rules.yar", std::string(kBuiltinRulesText), true}};
  for (auto& s : *user) sources.push_back(std::move(s));
  return cache.emplace(dir, compile_rules(sources)).first->second;
}

}  // namespace hubguard::scan::rules
