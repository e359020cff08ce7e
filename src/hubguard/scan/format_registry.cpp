#include "hubguard/scan/format_registry.hpp"

#include <array>

namespace hubguard::scan {

// Each format's handler instance, defined in its own file under formats/.
// Order matters: see format_registry.hpp.
std::span<const FormatHandler* const> format_handlers() {
  static const std::array<const FormatHandler*, 0> kHandlers{};
  return kHandlers;
}

const FormatHandler* detect_format(const Artifact& artifact) {
  for (const FormatHandler* handler : format_handlers())
    if (handler->accepts(artifact)) return handler;
  return nullptr;
}

}  // namespace hubguard::scan
