// Questions the analyzers ask of a recovered Program: which dotted path a value stands for
// ("os.system", also when reached through getattr / importlib.import_module / __import__ /
// pkgutil.resolve_name / operator.attrgetter), what each call really invokes (the class for
// NEWOBJ and copyreg._reconstructor), its constant string arguments, and which calls feed it.
// All traversals are iterative or depth-capped and budgeted: hostile nesting costs nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/scan/pickle/program.hpp"

namespace hubguard::scan::pickle {

// Canonical dotted path of what `node` evaluates to, when constants determine it.
std::optional<std::string> object_path(const Program& program, NodeId node);

struct CallSummary {
  std::size_t index = 0;
  std::string callee;          // canonical dotted path of what runs; empty when not resolvable
  bool indirect = false;       // callee reached through a call (getattr, import_module ...)
  bool instantiation = false;  // a class is instantiated (NEWOBJ, OBJ, copyreg reconstruction)
  bool mutation = false;       // BUILD / APPEND / SETITEM / ADDITEMS on `callee`'s object
  std::vector<std::string_view> strings;  // constant str/bytes in the arguments, nested calls too
  std::vector<std::size_t> feeds_from;    // calls whose results appear in callable or arguments
};

// `with_arguments` false skips `strings` and `feeds_from` (cheap path for safe callables).
CallSummary summarize_call(const Program& program, std::size_t call_index,
                           bool with_arguments = true);

// Constant strings (str and bytes) reachable from `root`, flattened, at most `max`.
std::vector<std::string_view> constant_strings(const Program& program, NodeId root,
                                               std::size_t max = 64);
// Indices of calls whose results are reachable from `root` (not looking inside those calls).
std::vector<std::size_t> calls_in(const Program& program, NodeId root, std::size_t max = 64);

// Per import: whether it is invoked (as a callable, or as the class of an instantiation).
std::vector<bool> imports_called(const Program& program);

}  // namespace hubguard::scan::pickle
