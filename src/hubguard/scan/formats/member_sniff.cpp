#include "hubguard/scan/formats/member_sniff.hpp"

#include <algorithm>

#include "hubguard/scan/format_registry.hpp"

namespace hubguard::scan {
namespace {

bool ident_start(std::uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool ident_char(std::uint8_t c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '.'; }

// A protocol 0 opcode byte that commonly follows MARK or an empty container.
bool plausible_next_opcode(std::uint8_t c) {
  return (c >= 0x20 && c < 0x7f) || c == '\n' || (c >= 0x80 && c <= 0x95);
}

}  // namespace

bool looks_like_pickle_start(Bytes p) {
  if (p.size() < 2) return false;
  const std::uint8_t a = p[0], b = p[1];
  if (a == 0x80) return b <= 5;  // PROTO n
  switch (a) {
    case '(': case '}': case ']': case ')':
      return plausible_next_opcode(b);
    case 'c': {  // GLOBAL "module\nname\n"
      if (!ident_start(b)) return false;
      std::size_t i = 2;
      const std::size_t n = std::min<std::size_t>(p.size(), 256);
      while (i < n && ident_char(p[i])) ++i;
      return i < n && p[i] == '\n';
    }
    case 'I': case 'L':  // INT / LONG "123\n"
      return (b >= '0' && b <= '9') || b == '-';
    case 'S':  // STRING "'...'\n"
      return b == '\'' || b == '"';
    default:
      return false;
  }
}

bool looks_like_text(Bytes p) {
  if (p.empty()) return false;
  for (std::uint8_t c : p) {
    if (c == 0) return false;
    if (c < 0x09 || (c > 0x0d && c < 0x20 && c != 0x1b)) return false;
  }
  return true;
}

bool worth_scanning(const Artifact& parent, const std::string& member_name, Bytes prefix,
                    std::uint64_t full_size, const ScanLimits& limits) {
  if (full_size == 0 && prefix.empty()) return false;
  if (full_size <= kAlwaysScanSize && prefix.size() >= full_size) return true;
  if (looks_like_pickle_start(prefix)) return true;
  Artifact probe;
  probe.bytes = prefix;
  probe.name = member_name;
  probe.depth = parent.depth + 1;
  if (detect_format(probe) != nullptr) return true;
  return full_size <= limits.max_source_size && looks_like_text(prefix);
}

}  // namespace hubguard::scan
