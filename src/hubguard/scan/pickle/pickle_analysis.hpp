// Turns a recovered Program into findings by asking the policy about every import and call:
// dangerous callables called or merely imported, unknown callables called (suspicious, or
// dangerous when their arguments read as code or a shell command), calls of values computed
// at load time, computed STACK_GLOBAL operands, EXT opcodes, attribute writes on imported
// objects (BUILD/SETITEM on a global: the allowlist-poisoning trick), broken streams, limit
// hits and hand-crafted anomalies. `malicious` is reserved for recognised payloads (reverse
// shell, download-and-run, disk wiping, credential exfiltration). Findings carry the opcode
// offset in location.offset; the caller fills location.member.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/report/finding.hpp"
#include "hubguard/scan/pickle/program.hpp"

namespace hubguard::scan::pickle {

std::vector<report::Finding> analyze(const Program& program);

// Strings a pickle hands to code runners (exec/eval/compile/runpy/timeit ...: `shell` false)
// or command runners (os.system/subprocess/pty ...: `shell` true), for deeper analyzers.
struct EmbeddedCode {
  bool shell = false;
  std::string text;
  std::uint64_t offset = 0;
  std::string via;  // canonical path of the callable, e.g. "builtins.exec"
};
std::vector<EmbeddedCode> embedded_code(const Program& program);

// Byte strings a pickle hands to a nested loader (pickle.loads, dill.loads, marshal.loads,
// torch.storage._load_from_bytes, ...): the caller can scan them as artifacts of their own.
// `bytes` views the input the Program was read from.
struct NestedPayload {
  std::string_view bytes;
  std::uint64_t offset = 0;  // of the call opcode
  std::string via;           // canonical path of the loader
};
std::vector<NestedPayload> nested_payloads(const Program& program);

}  // namespace hubguard::scan::pickle
