#include "hubguard/scan/formats/keras_lambda_policy.hpp"

#include <algorithm>
#include <string_view>

namespace hubguard::scan {
namespace {

// `__import__('os').system` -> `os.system`; `importlib.import_module("os")` -> `os`: a constant
// module name is as good as an import statement.
std::string resolve_dynamic_import(std::string_view call) {
  for (std::string_view head : {std::string_view("__import__("), std::string_view("importlib.import_module(")}) {
    if (!call.starts_with(head) || call.size() < head.size() + 3) continue;
    const char quote = call[head.size()];
    if (quote != '\'' && quote != '"') return std::string(call);
    const auto close = call.find(quote, head.size() + 1);
    if (close == std::string_view::npos || close + 1 >= call.size() || call[close + 1] != ')')
      return std::string(call);
    std::string module(call.substr(head.size() + 1, close - head.size() - 1));
    // __import__('os.path') returns the top-level package `os`; import_module the leaf.
    if (head.starts_with("__import__") && module.find('.') != std::string::npos) module.erase(module.find('.'));
    return module + std::string(call.substr(close + 2));
  }
  return std::string(call);
}

// True when every `__import__(` / `import_module(` in the code takes a constant name: the
// modules it imports are then judged by name instead of the import function itself.
bool only_constant_imports(std::string_view text, std::string_view function) {
  const std::string head = std::string(function) + "(";
  for (auto at = text.find(head); at != std::string_view::npos; at = text.find(head, at + 1)) {
    const auto next = at + head.size();
    if (next >= text.size() || (text[next] != '\'' && text[next] != '"')) return false;
  }
  return true;
}

bool plain_dotted_name(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == '.' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

}  // namespace

std::vector<LambdaHostAccess> lambda_host_access(const python::PseudoSource& code, std::size_t max_items) {
  std::vector<LambdaHostAccess> out;
  // `module`: `path` names a module (an import), not a callable.
  auto judge = [&](const std::string& spelled, std::string path, bool module) {
    if (out.size() >= max_items || !plain_dotted_name(path)) return;  // calls on call results: their inner calls are listed too
    if (!module && path.find('.') == std::string::npos) path = "builtins." + path;
    const bool constant_import = (path == "builtins.__import__" && only_constant_imports(code.text, "__import__")) ||
                                 (path == "importlib.import_module" && only_constant_imports(code.text, "import_module"));
    if (constant_import) return;
    auto c = policy::classify_path(path);
    if (c.safety != policy::Safety::dangerous) return;
    if (c.path.empty()) c.path = path;
    for (const auto& seen : out)
      if (seen.classification.path == c.path) return;
    out.push_back({spelled, std::move(c)});
  };
  for (const auto& module : code.imports) judge("import " + module, module, true);
  for (const auto& call : code.calls) {
    std::string path = resolve_dynamic_import(call);
    const bool module = path != call && path.find('.') == std::string::npos;  // `__import__('os')` alone
    judge(call, std::move(path), module);
  }
  return out;
}

}  // namespace hubguard::scan
