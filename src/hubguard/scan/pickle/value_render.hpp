// Renders one symbolic value of a Program as Python-like text ("os.system('id')",
// "[1, 2, …]"). Rendering is depth-, item- and size-capped, so a 100k-deep nested list or
// a gigabyte string prints as a short line with "…" and never exhausts the C++ stack.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/scan/pickle/program.hpp"

namespace hubguard::scan::pickle {

struct RenderOptions {
  unsigned max_depth = 12;
  std::size_t max_items = 16;     // per container
  std::size_t max_string = 200;   // characters of a str/bytes literal
  std::size_t max_total = 4096;   // characters of the whole rendering
  // Display name of each import (index = import); empty: "module.name".
  const std::vector<std::string>* import_names = nullptr;
};

std::string render_value(const Program& program, NodeId id, const RenderOptions& options = {});

// Python literal for text / bytes, truncated to `max` characters with "…".
void append_str_literal(std::string& out, std::string_view text, std::size_t max);
void append_bytes_literal(std::string& out, std::string_view bytes, std::size_t max);

// "module.name" of an import, or "<extension N>" / the rendered non-constant operands.
std::string import_path(const Import& import);

}  // namespace hubguard::scan::pickle
