// Content decides the format, but a file whose name promises one format while its bytes are
// another (a pickle named `model.safetensors`) is itself worth reporting: users and other
// tools trust extensions, which is why attackers rename files.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hubguard/report/finding.hpp"

namespace hubguard::scan {

// A finding when `file_name`'s extension names a format that `detected_format` is not.
std::optional<report::Finding> check_extension(std::string_view file_name,
                                               std::string_view detected_format);

}  // namespace hubguard::scan
