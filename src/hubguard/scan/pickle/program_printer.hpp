// Prints a recovered Program as Python-like text for `--show-program`:
//
//   from os import system
//   _var0 = system('id')
//   result = _var0
//
// Imports come first, then one line per call in execution order (object state set by BUILD
// shows as `x.__setstate__(...)`, container mutation as `x[k] = v`), then the value STOP
// returns, then a comment when the stream broke or hit a limit. Values are rendered with
// depth/size caps (value_render.hpp), so hostile nesting prints "…" instead of recursing.
#pragma once

#include <string>

#include "hubguard/scan/pickle/program.hpp"

namespace hubguard::scan::pickle {

std::string to_python(const Program& program);

// One call on one line with fully qualified names ("os.system('id')"), for evidence.
std::string render_call(const Program& program, std::size_t call_index);

}  // namespace hubguard::scan::pickle
