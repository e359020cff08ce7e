// The one interface every format implements (the way each YARA module or ClamAV scanner is
// self-contained): "do I accept these bytes?" by content alone, and "scan this artifact",
// reporting through the ScanContext. Handlers never throw: every failure becomes a finding
// or ctx.unscannable(reason). Adding a format is adding one file plus one line in
// format_registry.cpp.
#pragma once

#include <string_view>

#include "hubguard/scan/artifact.hpp"
#include "hubguard/scan/scan_context.hpp"

namespace hubguard::scan {

class FormatHandler {
 public:
  virtual ~FormatHandler() = default;
  virtual std::string_view name() const = 0;
  // Cheap: looks at magic bytes / structure near the start (and the end, for zip).
  virtual bool accepts(const Artifact& artifact) const = 0;
  virtual void scan(const Artifact& artifact, ScanContext& ctx) const = 0;
};

}  // namespace hubguard::scan
