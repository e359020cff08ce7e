// Chat templates (GGUF `tokenizer.chat_template`, tokenizer_config.json) are Jinja that the
// runtime renders inside a sandbox. The known template injections all escape that sandbox the
// same way: from some object reachable in the template (a string literal, `lipsum`,
// `cycler`, `joiner`, `namespace`, `self`) they climb Python's object graph through dunder
// attributes (`__class__`, `__mro__`, `__subclasses__`, `__globals__`, `__builtins__`) -
// spelled directly, as `|attr('...')` / `['...']` strings, or built from pieces so no dunder
// appears literally - and then reach `os.popen`, `__import__` or `eval`. This check reads
// only the code inside `{{ }}` and `{% %}` (text outside is output, not code) and classifies
// a template as plain, escaping the sandbox (dangerous) or running commands (malicious).
// Ordinary templates (loops, `raise_exception`, `.strip()`, `namespace(...)`) stay plain.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/scan/scan_context.hpp"

namespace hubguard::scan {

struct TemplateAssessment {
  bool sandbox_escape = false;  // climbs out of the Jinja sandbox
  bool command = false;         // and reaches command execution / code evaluation
  std::vector<std::string> reasons;  // what was seen, e.g. "dunder attribute __globals__"
  std::string evidence;              // the first offending expression
};

TemplateAssessment assess_jinja_template(std::string_view text);

// Findings for one template: `<format>.template-sandbox-escape` (dangerous) and
// `<format>.template-command` (malicious). `key` names the template.
void check_jinja_template(std::string_view format, std::string_view key, std::string_view text,
                          std::uint64_t offset, ScanContext& ctx);

}  // namespace hubguard::scan
