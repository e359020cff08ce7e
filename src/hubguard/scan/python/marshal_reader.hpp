// A reader for CPython's marshal format (what marshal.dumps writes, what Keras Lambda layers,
// dill/cloudpickle functions and `marshal.loads` payloads carry), bounded against hostile
// input: nesting depth, object count, string sizes and total work are capped, container
// counts are checked against the bytes left, and back-references (FLAG_REF / TYPE_REF)
// share nodes instead of copying them, so reference loops and "billion laughs" graphs cost
// nothing. Code objects are recognised in the three layouts CPython used from 3.6 to 3.12
// (marshal itself does not record the version); nothing is ever executed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hubguard/core/bytes.hpp"
#include "hubguard/core/result.hpp"

namespace hubguard::scan::python {

// The field layout of a marshalled code object.
enum class CodeLayout {
  py36,   // 3.6-3.7: argcount kwonly nlocals stacksize flags, varnames/freevars/cellvars
  py38,   // 3.8-3.10: + posonlyargcount
  py311,  // 3.11+: localsplusnames/kinds, qualname, exceptiontable, no nlocals
};

struct MarshalValue;
using MarshalPtr = std::shared_ptr<const MarshalValue>;

struct CodeObject {
  CodeLayout layout = CodeLayout::py311;
  std::int64_t argcount = 0;
  std::int64_t flags = 0;
  std::int64_t firstlineno = 0;
  std::string code;  // co_code bytes
  MarshalPtr consts, names, varnames, freevars, cellvars;  // tuples (varnames = localsplusnames on 3.11+)
  std::string filename, name, qualname;
};

struct MarshalValue {
  enum class Kind {
    null, none, boolean, stop_iteration, ellipsis, integer, big_integer, floating, complex,
    bytes, str, tuple, list, dict, set, frozenset, code,
    unresolved_ref,  // a reference to an object still being built (a loop)
  };
  Kind kind = Kind::none;
  std::int64_t integer = 0;   // integer, boolean
  double real = 0, imag = 0;  // floating, complex
  std::string text;           // bytes, str (UTF-8 as stored), big_integer (decimal or hex text)
  std::vector<MarshalPtr> items;  // tuple/list/set/frozenset; dict as key, value, key, value ...
  std::shared_ptr<const CodeObject> code;

  bool is_string() const { return kind == Kind::str; }
  // The i-th item as a string, or empty.
  std::string_view item_text(std::size_t i) const;
};

struct MarshalLimits {
  unsigned max_depth = 100;              // nesting of containers and code objects
  std::uint64_t max_objects = 1'000'000; // objects read (refs included)
  std::uint64_t max_string = 16u << 20;  // one bytes/str object
  std::uint64_t max_refs = 1'000'000;    // FLAG_REF table
};

struct MarshalDocument {
  MarshalPtr root;
  std::uint64_t consumed = 0;  // bytes read
  bool has_code = false;
  CodeLayout layout = CodeLayout::py311;  // of the code objects, when has_code
};

// Parse one marshalled object from the start of `data`.
Result<MarshalDocument> read_marshal(Bytes data, const MarshalLimits& limits = {});

}  // namespace hubguard::scan::python
