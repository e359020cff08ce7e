// CPython opcode numbers for the instructions the bytecode reader understands, per version
// family: 3.6-3.10 (wordcode with CALL_FUNCTION/CALL_METHOD), 3.11 (PRECALL/CALL, inline
// caches, LOAD_GLOBAL's push-NULL bit) and 3.12 (LOAD_ATTR's method bit, RETURN_CONST,
// no LOAD_METHOD/PRECALL). 3.11 numbers were checked against Debian's Python 3.11
// (`opcode.opmap`); the others follow CPython's Lib/opcode.py of each release. Everything
// not listed maps to Op::other and is treated as an unknown stack effect.
#pragma once

#include <cstdint>

namespace hubguard::scan::python {

enum class BytecodeFamily { py36_310, py311, py312 };

enum class Op : std::uint8_t {
  other,
  cache, nop, extended_arg,
  pop_top, push_null, dup_top, rot_two, copy, swap,
  load_const, load_name, load_global, load_fast, load_deref, load_attr, load_method,
  load_super_attr,
  store_name, store_global, store_fast, store_deref, store_attr, store_subscr,
  import_name, import_from,
  call_function, call_function_kw, call_function_ex, call_method, precall, call, kw_names,
  binary_add, binary_op, binary_subscr, compare,
  build_tuple, build_list, build_set, build_map, build_const_key_map, build_string,
  format_value, list_extend, collection_update,
  make_function, return_value, return_const, call_intrinsic_1,
  pop_jump, jump, unpack_sequence, get_iter, for_iter,
};

Op decode_opcode(BytecodeFamily family, std::uint8_t opcode);
// Opcodes that exist in one of 3.11 / 3.12 but not in the other: evidence for the version
// of a py311-layout code object (marshal does not record it). +1 votes 3.12, -1 votes 3.11.
int version_vote_312(std::uint8_t opcode);

}  // namespace hubguard::scan::python
