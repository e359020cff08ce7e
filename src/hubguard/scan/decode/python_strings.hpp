// Static evaluation of the string expressions obfuscated Python builds its payloads from,
// without running anything: literals of every prefix and quote style (escapes resolved),
// implicit and `+` concatenation, `sep.join([...])`, `chr(N)` sequences (also
// `map(chr, [...])` and `chr(c) for c in [...]`), `bytes.fromhex`, `bytes([...])`,
// `codecs.decode(x, 'rot13'|'hex')`, `x[::-1]`, and `.encode()`/`.decode()` as no-ops.
// Anything else ends the expression: the evaluator reads what a static reader can, and the
// rest of the code is still analysed as written.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hubguard::scan::decode {

struct StringExpression {
  std::size_t begin = 0;  // the expression's span in the code
  std::size_t end = 0;
  std::string value;      // evaluated bytes (str values as UTF-8)
  std::string how;        // "literal", or the operations applied: "concat+chr", "join", ...
  bool transformed() const { return how != "literal"; }
};

struct StringScanLimits {
  std::size_t max_expressions = 4096;   // per code string
  std::size_t max_value = 16u << 20;    // bytes of one evaluated value
  unsigned max_nesting = 32;            // parentheses / nested calls
};

// Every maximal string expression in `code`, left to right, not overlapping.
std::vector<StringExpression> find_string_expressions(std::string_view code,
                                                      const StringScanLimits& limits = {});

}  // namespace hubguard::scan::decode
