// Published evasions of pickle scanners (picklescan, ModelScan, Fickling advisories and
// write-ups, 2023-2026), as data. Callable-based rows name the gadget a scanner missed and
// must classify as dangerous; structural rows name a parsing trick the symbolic VM and the
// analysis must see through, each covered by the test named in `test`.
#pragma once

#include <span>
#include <string_view>

namespace hubguard::scan::policy {

struct KnownEvasion {
  std::string_view id;
  std::string_view source;
  std::string_view module;  // empty for structural techniques
  std::string_view name;
  std::string_view test;    // structural: the test that covers it
};

std::span<const KnownEvasion> known_evasions();

}  // namespace hubguard::scan::policy
