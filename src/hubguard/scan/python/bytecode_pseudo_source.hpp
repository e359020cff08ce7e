// Turns marshalled code objects into Python-like pseudo-source by a linear sweep over
// co_code with a symbolic stack (no control flow, no execution): imports, attribute chains,
// calls with their constant arguments, assignments and returns come out as ordinary Python
// text, e.g. `os.system('echo x')`, that the Python analyzer and the YARA rules read like
// any source. Names bound by imports are resolved (`from os import system as s; s(...)`
// prints as `os.system(...)`). Output size and work are bounded.
#pragma once

#include <string>
#include <vector>

#include "hubguard/scan/python/bytecode_opcodes.hpp"
#include "hubguard/scan/python/marshal_reader.hpp"

namespace hubguard::scan::python {

struct PseudoSource {
  std::string text;                  // pseudo-source of every code object, nested ones as defs
  std::vector<std::string> imports;  // modules imported (dotted)
  std::vector<std::string> calls;    // callee expressions, e.g. "os.system", "__import__('os').system"
  std::vector<std::string> strings;  // every str/bytes constant, in order, deduplicated
  BytecodeFamily family = BytecodeFamily::py311;
  bool truncated = false;            // a bound was hit; the text is partial
};

struct PseudoSourceLimits {
  std::size_t max_output = 1u << 20;        // bytes of pseudo-source
  std::size_t max_code_objects = 10'000;
  std::size_t max_instructions = 2'000'000; // over all code objects
  std::size_t max_expression = 64u << 10;   // one rendered expression
};

PseudoSource pseudo_source(const MarshalDocument& doc, const PseudoSourceLimits& limits = {});

// Python repr of a constant (strings quoted and escaped, tuples, numbers ...).
std::string render_constant(const MarshalValue& value, std::size_t max_size = 4096);

}  // namespace hubguard::scan::python
