// The program a pickle would run, recovered without running it. The symbolic VM
// (pickle_vm.hpp) fills a Program: every import (GLOBAL, STACK_GLOBAL, INST, EXT*), every
// call (REDUCE, OBJ, INST, NEWOBJ, NEWOBJ_EX, BUILD, persistent loads, mutations of imported
// objects) with its callable and arguments as a small symbolic value tree, where the stream
// ended and why, and which limits it hit. Values live in one arena (`nodes`) and refer to
// each other by index, so hostile nesting costs memory proportional to the opcodes read and
// never recursion. String and bytes payloads are views into the input bytes (no copies):
// the input must outlive the Program. Decoded text (escaped STRING/UNICODE lines) is owned.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace hubguard::scan::pickle {

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = 0xFFFFFFFFu;

enum class NodeKind : std::uint8_t {
  none,
  boolean,
  integer,      // fits in int64 (`integer`)
  big_integer,  // `text` holds decimal text (LONG) or little-endian bytes (LONG1/LONG4, `raw`)
  floating,
  str,
  bytes,
  bytearray,
  list,
  tuple,
  dict,  // items = k0, v0, k1, v1, ...
  set,
  frozenset,
  global,      // `index` = position in Program::imports
  call,        // `index` = position in Program::calls (the call's result)
  persistent,  // result of persistent_load; `index` = position in Program::calls
  buffer,      // out-of-band buffer (NEXT_BUFFER)
  unknown,     // `text` says why
};

struct Node {
  NodeKind kind = NodeKind::none;
  bool raw = false;        // big_integer: `text` is little-endian two's complement bytes
  std::int64_t integer = 0;  // integer value, boolean (0/1) or index (global/call/persistent)
  double floating = 0.0;
  std::string_view text;   // str (UTF-8), bytes, big_integer, unknown reason
  std::vector<NodeId> items;
};

enum class ImportKind : std::uint8_t { global, stack_global, inst, ext };

struct Import {
  ImportKind kind = ImportKind::global;
  std::uint64_t offset = 0;
  std::string_view module;  // for non-constant STACK_GLOBAL: rendered operand expression
  std::string_view name;
  bool constant = true;       // false: STACK_GLOBAL operands were computed at load time
  std::uint32_t ext_code = 0;  // EXT1/2/4: the extension code (module/name unknown)
  NodeId module_node = kNoNode;  // STACK_GLOBAL operands
  NodeId name_node = kNoNode;
};

enum class CallKind : std::uint8_t {
  reduce,           // callable(*args)
  obj,              // OBJ: cls(*args)
  inst,             // INST: cls(*args)
  newobj,           // cls.__new__(cls, *args)
  newobj_ex,        // cls.__new__(cls, *args, **kwargs)
  build,            // target.__setstate__(state) or target.__dict__.update(state)
  persistent_load,  // the loader's persistent_load(pid)
  append,           // target.append(x) / target.extend(xs) on a non-list target
  setitem,          // target[k] = v on a non-dict target
  additems,         // target.add(x) on a non-set target
};

struct Call {
  CallKind kind = CallKind::reduce;
  std::uint64_t offset = 0;      // offset of the opcode
  NodeId callable = kNoNode;     // callable or class; for build/append/setitem/additems: target
  NodeId args = kNoNode;         // tuple of arguments; build: state; persistent_load: pid
  NodeId kwargs = kNoNode;       // newobj_ex only
  NodeId result = kNoNode;       // the node standing for the result, when there is one
};

struct LimitHit {
  std::string limit;  // "max_pickle_ops", "max_pickle_memo", ...
  std::uint64_t value = 0;
  std::uint64_t offset = 0;
};

// Things a normal pickler never writes but a loader accepts: each is a hint of a
// hand-crafted stream (memo confusion, marks consumed by POP, leftover stack at STOP ...).
struct Anomaly {
  std::uint64_t offset = 0;
  std::string message;
};

struct Program {
  std::uint64_t start = 0;  // offset of the first opcode
  std::uint64_t end = 0;    // offset just past STOP, or where the stream broke
  int protocol = 0;         // highest PROTO seen, 0 when none
  bool stopped = false;     // reached STOP
  bool truncated = false;   // broke because the input ended (as opposed to a bad opcode)
  std::string error;        // why it broke; empty when stopped cleanly
  std::uint64_t error_offset = 0;
  std::uint64_t opcodes = 0;
  NodeId result = kNoNode;  // value returned by STOP

  std::vector<Node> nodes;
  std::vector<Import> imports;
  std::vector<Call> calls;
  std::vector<LimitHit> limits;
  std::vector<Anomaly> anomalies;
  bool calls_truncated = false;  // max_pickle_calls_recorded reached; later calls not recorded

  std::deque<std::string> owned;  // decoded strings that `nodes`/`imports` view

  Program() = default;
  Program(Program&&) = default;
  Program& operator=(Program&&) = default;
  Program(const Program&) = delete;  // views into `owned` would dangle in a copy
  Program& operator=(const Program&) = delete;

  const Node& node(NodeId id) const { return nodes[id]; }
  bool broken() const { return !stopped; }
};

std::string_view to_string(NodeKind kind);
std::string_view to_string(CallKind kind);
std::string_view to_string(ImportKind kind);

}  // namespace hubguard::scan::pickle
