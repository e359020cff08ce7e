// The abstract value the taint analysis gives every Python expression: which sources taint
// it (one fact per source class, each with the path it travelled), what it is known to be
// (a constant string or integer, a constant prefix of a string built at run time, the
// dotted name it resolves to, the elements of a literal list) and handle marks (a socket,
// an HTTP client, a broad path). Values are small and copied freely; facts are shared.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hubguard/scan/python/sources_sinks.hpp"

namespace hubguard::scan::python {

struct Step {
  std::string what;  // "os.environ", "data", "requests.post(url, data=data)"
  std::uint32_t line = 0;
};

struct Fact {
  Taint kind = Taint::network;
  bool from_socket = false;  // network data read from a raw socket (a command channel)
  std::string label;         // what the source is: "SSH private key", "hostname" ...
  std::vector<Step> path;    // path[0] is the source
};
using FactPtr = std::shared_ptr<const Fact>;

struct Value {
  std::array<FactPtr, kTaintKinds> facts{};
  unsigned handles = 0;
  std::optional<std::string> str;    // fully known string (or bytes) value
  std::string prefix;                // known leading text when `str` is unknown
  std::optional<long long> integer;  // known integer (True is 1)
  // What the value names: a module or callable ("os.system"), or an analysis reference:
  // "<local:f>", "<local:C.m>", "<class:C>", "<self:C>", "<globals>".
  std::string qual;
  std::string type;                                 // class of an instance of a known library class
  bool bound_self = false;                          // a "<local:C.m>" reached through an instance
  std::shared_ptr<const std::vector<Value>> items;  // elements of a literal list/tuple
  std::string written_path;  // a file object opened for writing: its path key

  bool tainted() const;
  const FactPtr& fact(Taint t) const { return facts[static_cast<int>(t)]; }
  FactPtr& fact(Taint t) { return facts[static_cast<int>(t)]; }
  // The known text: the whole string, else the prefix.
  std::string_view known_text() const { return str ? std::string_view(*str) : prefix; }
};

inline constexpr std::size_t kMaxPathSteps = 8;
inline constexpr std::size_t kMaxItems = 16;
inline constexpr std::size_t kMaxFoldedString = 64 * 1024;

// Taint and handles of `from` added to `into` (facts already present are kept: the first
// path found is the one reported).
void merge_taint(Value& into, const Value& from);
// The join of two values (branches, containers): taint merged, knowledge kept only if equal.
Value join(const Value& a, const Value& b);
// Only the taint and handles of `v` (what a computed result inherits).
Value taint_of(const Value& v);
// `v` with one more step appended to each fact's path (a named binding, a call boundary).
Value with_step(const Value& v, const std::string& what, std::uint32_t line);
// A new fact.
FactPtr make_fact(Taint kind, std::string label, std::string what, std::uint32_t line,
                  bool from_socket = false);
// "os.environ (line 3) -> data (line 5)".
std::string render_path(const Fact& fact);

bool is_reference(const std::string& qual);  // "<...>"

}  // namespace hubguard::scan::python
