// A tiny pickle assembler for tests: each method appends one opcode with its argument, so a
// test reads like a disassembly listing and states exactly which bytes the VM sees.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "hubguard/core/bytes.hpp"

namespace hubguard::scan::pickle::test {

class PickleAsm {
 public:
  PickleAsm& op(std::uint8_t code) {
    out_.push_back(static_cast<char>(code));
    return *this;
  }
  PickleAsm& raw(std::string_view bytes) {
    out_.append(bytes);
    return *this;
  }
  PickleAsm& u8(std::uint8_t v) { return op(v); }
  PickleAsm& le(std::uint64_t v, int width) {
    for (int i = 0; i < width; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    return *this;
  }
  PickleAsm& proto(int v) { return op(0x80).u8(static_cast<std::uint8_t>(v)); }
  PickleAsm& frame(std::uint64_t n) { return op(0x95).le(n, 8); }
  PickleAsm& stop() { return op('.'); }
  PickleAsm& mark() { return op('('); }
  PickleAsm& global(std::string_view m, std::string_view n) {
    return op('c').raw(m).raw("\n").raw(n).raw("\n");
  }
  PickleAsm& inst(std::string_view m, std::string_view n) {
    return op('i').raw(m).raw("\n").raw(n).raw("\n");
  }
  PickleAsm& stack_global() { return op(0x93); }
  PickleAsm& short_unicode(std::string_view s) {
    return op(0x8c).u8(static_cast<std::uint8_t>(s.size())).raw(s);
  }
  PickleAsm& binunicode(std::string_view s) { return op('X').le(s.size(), 4).raw(s); }
  PickleAsm& binunicode8(std::string_view s) { return op(0x8d).le(s.size(), 8).raw(s); }
  PickleAsm& string0(std::string_view quoted) { return op('S').raw(quoted).raw("\n"); }
  PickleAsm& unicode0(std::string_view s) { return op('V').raw(s).raw("\n"); }
  PickleAsm& binstring(std::string_view s) { return op('T').le(s.size(), 4).raw(s); }
  PickleAsm& short_binstring(std::string_view s) {
    return op('U').u8(static_cast<std::uint8_t>(s.size())).raw(s);
  }
  PickleAsm& binbytes(std::string_view s) { return op('B').le(s.size(), 4).raw(s); }
  PickleAsm& short_binbytes(std::string_view s) {
    return op('C').u8(static_cast<std::uint8_t>(s.size())).raw(s);
  }
  PickleAsm& binbytes8(std::string_view s) { return op(0x8e).le(s.size(), 8).raw(s); }
  PickleAsm& bytearray8(std::string_view s) { return op(0x96).le(s.size(), 8).raw(s); }
  PickleAsm& binint1(std::uint8_t v) { return op('K').u8(v); }
  PickleAsm& binint2(std::uint16_t v) { return op('M').le(v, 2); }
  PickleAsm& binint(std::int32_t v) { return op('J').le(static_cast<std::uint32_t>(v), 4); }
  PickleAsm& int0(std::string_view text) { return op('I').raw(text).raw("\n"); }
  PickleAsm& long0(std::string_view text) { return op('L').raw(text).raw("\n"); }
  PickleAsm& float0(std::string_view text) { return op('F').raw(text).raw("\n"); }
  PickleAsm& long1(std::string_view le_bytes) {
    return op(0x8a).u8(static_cast<std::uint8_t>(le_bytes.size())).raw(le_bytes);
  }
  PickleAsm& long4(std::string_view le_bytes) { return op(0x8b).le(le_bytes.size(), 4).raw(le_bytes); }
  PickleAsm& binput(std::uint8_t i) { return op('q').u8(i); }
  PickleAsm& long_binput(std::uint32_t i) { return op('r').le(i, 4); }
  PickleAsm& put(std::string_view i) { return op('p').raw(i).raw("\n"); }
  PickleAsm& memoize() { return op(0x94); }
  PickleAsm& binget(std::uint8_t i) { return op('h').u8(i); }
  PickleAsm& long_binget(std::uint32_t i) { return op('j').le(i, 4); }
  PickleAsm& get(std::string_view i) { return op('g').raw(i).raw("\n"); }
  PickleAsm& tuple1() { return op(0x85); }
  PickleAsm& tuple2() { return op(0x86); }
  PickleAsm& tuple3() { return op(0x87); }
  PickleAsm& tuple() { return op('t'); }
  PickleAsm& empty_tuple() { return op(')'); }
  PickleAsm& empty_list() { return op(']'); }
  PickleAsm& empty_dict() { return op('}'); }
  PickleAsm& empty_set() { return op(0x8f); }
  PickleAsm& reduce() { return op('R'); }
  PickleAsm& build() { return op('b'); }
  PickleAsm& newobj() { return op(0x81); }
  PickleAsm& newobj_ex() { return op(0x92); }
  PickleAsm& obj() { return op('o'); }
  PickleAsm& none() { return op('N'); }
  PickleAsm& pop() { return op('0'); }
  PickleAsm& pop_mark() { return op('1'); }
  PickleAsm& dup() { return op('2'); }
  PickleAsm& append() { return op('a'); }
  PickleAsm& appends() { return op('e'); }
  PickleAsm& setitem() { return op('s'); }
  PickleAsm& setitems() { return op('u'); }
  PickleAsm& additems() { return op(0x90); }
  PickleAsm& frozenset() { return op(0x91); }
  PickleAsm& list() { return op('l'); }
  PickleAsm& dict() { return op('d'); }
  PickleAsm& persid(std::string_view s) { return op('P').raw(s).raw("\n"); }
  PickleAsm& binpersid() { return op('Q'); }
  PickleAsm& ext1(std::uint8_t c) { return op(0x82).u8(c); }
  PickleAsm& ext2(std::uint16_t c) { return op(0x83).le(c, 2); }
  PickleAsm& ext4(std::uint32_t c) { return op(0x84).le(c, 4); }
  PickleAsm& next_buffer() { return op(0x97); }
  PickleAsm& readonly_buffer() { return op(0x98); }
  PickleAsm& newtrue() { return op(0x88); }
  PickleAsm& newfalse() { return op(0x89); }
  PickleAsm& binfloat(double d) {
    std::uint64_t u = 0;
    std::memcpy(&u, &d, sizeof u);
    op('G');
    for (int i = 7; i >= 0; --i) out_.push_back(static_cast<char>((u >> (8 * i)) & 0xFF));
    return *this;
  }

  // Shorthand: `module.name(arg)` as GLOBAL + one string argument + TUPLE1 + REDUCE.
  PickleAsm& call1(std::string_view m, std::string_view n, std::string_view arg) {
    return global(m, n).short_unicode(arg).tuple1().reduce();
  }

  const std::string& str() const { return out_; }
  Bytes bytes() const { return as_bytes(out_); }

 private:
  std::string out_;
};

}  // namespace hubguard::scan::pickle::test
