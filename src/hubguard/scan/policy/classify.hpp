// What each callable a pickle (or other code carrier) reaches *is*: known safe (what
// torch.load(weights_only=True) accepts, NumPy/collections reconstruction, scikit-learn and
// pandas classes, ...), known dangerous (can run code or commands, reach the network or
// the file system, or reach interpreter internals), or unknown. Rules match the dotted path
// "module.name" after Python-2 / private-module aliases are folded (`__builtin__` ->
// `builtins`, `posix`/`nt` -> `os`, `_operator` -> `operator`, `numpy._core` -> `numpy.core`
// ...); a module rule also covers its submodules and attributes, the longest matching rule
// wins, so an exact safe entry can sit under a dangerous module and vice versa. Any dotted
// component that is a dunder attribute (`__globals__`, `__builtins__`, `__subclasses__` ...)
// is dangerous: it is how allowlisted objects are walked to reach internals.
#pragma once

#include <string>
#include <string_view>

namespace hubguard::scan::policy {

enum class Safety { safe, dangerous, unknown };

// Behaviour classes (also used as Finding::category).
inline constexpr std::string_view kCodeExecution = "code-execution";
inline constexpr std::string_view kShellCommand = "shell-command";
inline constexpr std::string_view kReverseShell = "reverse-shell";
inline constexpr std::string_view kDownloader = "downloader";
inline constexpr std::string_view kFileAccess = "file-access";
inline constexpr std::string_view kDestructive = "destructive";
inline constexpr std::string_view kObfuscation = "obfuscation";
inline constexpr std::string_view kReconnaissance = "reconnaissance";

struct Classification {
  Safety safety = Safety::unknown;
  std::string_view category;  // empty for safe/unknown
  std::string reason;
  std::string path;           // canonical dotted path that was classified
  bool instantiates_first_argument = false;  // copyreg._reconstructor, copyreg.__newobj__ ...
};

Classification classify(std::string_view module, std::string_view name);
Classification classify_path(std::string_view dotted_path);

// "__builtin__.eval" -> "builtins.eval", "posix.system" -> "os.system", ...
std::string canonical_path(std::string_view module, std::string_view name);

std::string_view to_string(Safety safety);

}  // namespace hubguard::scan::policy
