#include "hubguard/scan/pickle/program.hpp"

namespace hubguard::scan::pickle {

std::string_view to_string(NodeKind kind) {
  switch (kind) {
    case NodeKind::none: return "none";
    case NodeKind::boolean: return "bool";
    case NodeKind::integer: return "int";
    case NodeKind::big_integer: return "bigint";
    case NodeKind::floating: return "float";
    case NodeKind::str: return "str";
    case NodeKind::bytes: return "bytes";
    case NodeKind::bytearray: return "bytearray";
    case NodeKind::list: return "list";
    case NodeKind::tuple: return "tuple";
    case NodeKind::dict: return "dict";
    case NodeKind::set: return "set";
    case NodeKind::frozenset: return "frozenset";
    case NodeKind::global: return "global";
    case NodeKind::call: return "call";
    case NodeKind::persistent: return "persistent";
    case NodeKind::buffer: return "buffer";
    case NodeKind::unknown: return "unknown";
  }
  return "?";
}

std::string_view to_string(CallKind kind) {
  switch (kind) {
    case CallKind::reduce: return "REDUCE";
    case CallKind::obj: return "OBJ";
    case CallKind::inst: return "INST";
    case CallKind::newobj: return "NEWOBJ";
    case CallKind::newobj_ex: return "NEWOBJ_EX";
    case CallKind::build: return "BUILD";
    case CallKind::persistent_load: return "PERSID";
    case CallKind::append: return "APPEND";
    case CallKind::setitem: return "SETITEM";
    case CallKind::additems: return "ADDITEMS";
  }
  return "?";
}

std::string_view to_string(ImportKind kind) {
  switch (kind) {
    case ImportKind::global: return "GLOBAL";
    case ImportKind::stack_global: return "STACK_GLOBAL";
    case ImportKind::inst: return "INST";
    case ImportKind::ext: return "EXT";
  }
  return "?";
}

}  // namespace hubguard::scan::pickle
