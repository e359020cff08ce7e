#include "hubguard/scan/python/bytecode_opcodes.hpp"

namespace hubguard::scan::python {
namespace {

Op common_op(std::uint8_t opcode) {
  switch (opcode) {
    case 1: return Op::pop_top;
    case 25: return Op::binary_subscr;
    case 60: return Op::store_subscr;
    case 68: return Op::get_iter;
    case 83: return Op::return_value;
    case 90: return Op::store_name;
    case 92: return Op::unpack_sequence;
    case 93: return Op::for_iter;
    case 95: return Op::store_attr;
    case 97: return Op::store_global;
    case 100: return Op::load_const;
    case 101: return Op::load_name;
    case 102: return Op::build_tuple;
    case 103: return Op::build_list;
    case 104: return Op::build_set;
    case 105: return Op::build_map;
    case 106: return Op::load_attr;
    case 107: return Op::compare;
    case 108: return Op::import_name;
    case 109: return Op::import_from;
    case 110: return Op::jump;
    case 116: return Op::load_global;
    case 117: return Op::compare;  // IS_OP
    case 118: return Op::compare;  // CONTAINS_OP
    case 124: return Op::load_fast;
    case 125: return Op::store_fast;
    case 132: return Op::make_function;
    case 142: return Op::call_function_ex;
    case 144: return Op::extended_arg;
    case 155: return Op::format_value;
    case 156: return Op::build_const_key_map;
    case 157: return Op::build_string;
    case 162: return Op::list_extend;
    case 163: case 164: case 165: return Op::collection_update;
    default: return Op::other;
  }
}

}  // namespace

Op decode_opcode(BytecodeFamily family, std::uint8_t opcode) {
  switch (family) {
    case BytecodeFamily::py36_310:
      switch (opcode) {
        case 2: return Op::rot_two;
        case 4: return Op::dup_top;
        case 9: return Op::nop;
        case 23: case 55: return Op::binary_add;  // BINARY_ADD, INPLACE_ADD
        case 111: case 112: case 113: return Op::jump;
        case 114: case 115: return Op::pop_jump;
        case 131: return Op::call_function;
        case 135: return Op::load_deref;  // LOAD_CLOSURE
        case 136: return Op::load_deref;
        case 137: return Op::store_deref;
        case 141: return Op::call_function_kw;
        case 148: return Op::load_deref;  // LOAD_CLASSDEREF
        case 160: return Op::load_method;
        case 161: return Op::call_method;
        default: return common_op(opcode);
      }
    case BytecodeFamily::py311:
      switch (opcode) {
        case 0: return Op::cache;
        case 2: return Op::push_null;
        case 9: case 135: case 149: case 151: return Op::nop;  // MAKE_CELL, COPY_FREE_VARS, RESUME
        case 99: return Op::swap;
        case 111: case 112: return Op::jump;  // JUMP_IF_*_OR_POP: the value stays on one path
        case 114: case 115: case 128: case 129: case 173: case 174: case 175: case 176:
          return Op::pop_jump;
        case 120: return Op::copy;
        case 122: return Op::binary_op;
        case 136: case 137: case 148: return Op::load_deref;
        case 138: return Op::store_deref;
        case 140: return Op::jump;
        case 160: return Op::load_method;
        case 166: return Op::precall;
        case 171: return Op::call;
        case 172: return Op::kw_names;
        default: return common_op(opcode);
      }
    case BytecodeFamily::py312:
      switch (opcode) {
        case 0: return Op::cache;
        case 2: return Op::push_null;
        case 9: case 135: case 149: case 151: return Op::nop;
        case 99: return Op::swap;
        case 114: case 115: case 128: case 129: return Op::pop_jump;
        case 120: return Op::copy;
        case 121: return Op::return_const;
        case 122: return Op::binary_op;
        case 127: case 143: return Op::load_fast;  // LOAD_FAST_CHECK, LOAD_FAST_AND_CLEAR
        case 136: case 137: return Op::load_deref;
        case 138: return Op::store_deref;
        case 134: case 140: return Op::jump;
        case 141: return Op::load_super_attr;
        case 171: return Op::call;
        case 172: return Op::kw_names;
        case 173: return Op::call_intrinsic_1;
        default: return common_op(opcode);
      }
  }
  return Op::other;
}

int version_vote_312(std::uint8_t opcode) {
  switch (opcode) {
    case 160: case 166: case 111: case 112: case 175: case 176: return -1;  // 3.11 only
    case 121: case 127: case 143: case 141: case 173: case 4: case 26: return +1;  // 3.12 only
    default: return 0;
  }
}

}  // namespace hubguard::scan::python
