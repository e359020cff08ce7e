// The list of format handlers in detection order: the first handler that accepts an
// artifact's bytes scans it. More specific formats come before the generic ones they look
// like (a numpy .npz is a zip; a joblib file is a pickle).
#pragma once

#include <span>

#include "hubguard/scan/format_handler.hpp"

namespace hubguard::scan {

std::span<const FormatHandler* const> format_handlers();

// The handler that accepts these bytes, or nullptr (unrecognised data).
const FormatHandler* detect_format(const Artifact& artifact);

}  // namespace hubguard::scan
