// Evidence is what a format handler saw, before anyone judged it: code that would run (a
// pickle's recovered calls, a code string, Python source, marshalled bytecode, a template).
// Handlers emit evidence; analyzers (policy, Python taint, YARA rules) turn it into findings.
// Structural problems (bad CRC, broken stream, limit hit) are emitted by handlers directly
// as findings, since they need no further judgement.
#pragma once

#include <cstdint>
#include <string>

namespace hubguard::scan {

enum class CodeKind {
  python_source,   // a .py file or remote-code module
  code_string,     // argument of exec/eval/compile/runpy/timeit ... recovered from a pickle
  shell_command,   // argument of os.system/subprocess/... or a `python -c` command line
  bytecode,        // names/constants recovered from marshalled code objects
  chat_template,   // Jinja chat templates and similar
};

struct CodeEvidence {
  CodeKind kind = CodeKind::code_string;
  std::string text;
  std::uint64_t offset = 0;  // in the artifact
  std::string via;           // how it would run: "builtins.exec argument", "dataset script"
};

}  // namespace hubguard::scan
