#include "hubguard/scan/formats/json_guard.hpp"

namespace hubguard::scan {

unsigned json_nesting_depth(std::string_view text, unsigned limit) {
  unsigned depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Result<nlohmann::json> parse_json_bounded(std::string_view text, unsigned max_depth) {
  if (json_nesting_depth(text, max_depth) > max_depth)
    return make_error("JSON nested deeper than " + std::to_string(max_depth) + " levels");
  try {
    auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded()) return make_error("not valid JSON");
    return doc;
  } catch (const std::exception& e) {
    return make_error(std::string("not valid JSON: ") + e.what());
  }
}

std::string json_excerpt(const nlohmann::json& value, std::size_t max_size) {
  std::string text;
  try {
    text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (...) {
    text = "<unprintable>";
  }
  if (text.size() > max_size) text = text.substr(0, max_size) + "...";
  return text;
}

}  // namespace hubguard::scan
