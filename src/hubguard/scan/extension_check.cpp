#include "hubguard/scan/extension_check.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace hubguard::scan {
namespace {

struct ExtensionRule {
  std::string_view extension;
  // Detected formats that are consistent with the extension, '|'-separated.
  std::string_view formats;
};

// Only extensions that promise a specific format are listed; `.bin`, `.pt`, `.pth`, `.ckpt`
// are used for pickles, zips and raw tensors alike, so they promise nothing.
constexpr std::array<ExtensionRule, 12> kRules{{
    {".safetensors", "safetensors"},
    {".gguf", "gguf"},
    {".onnx", "onnx"},
    {".npy", "numpy"},
    {".npz", "numpy-npz|zip"},
    {".h5", "keras-h5|hdf5"},
    {".hdf5", "keras-h5|hdf5"},
    {".keras", "keras-v3|zip"},
    {".json", "json|text|keras-config"},
    {".txt", "text|json"},
    {".md", "text"},
    {".csv", "text"},
}};

bool format_in(std::string_view format, std::string_view list) {
  while (!list.empty()) {
    auto bar = list.find('|');
    auto item = list.substr(0, bar);
    if (item == format) return true;
    if (bar == std::string_view::npos) break;
    list.remove_prefix(bar + 1);
  }
  return false;
}

}  // namespace

std::optional<report::Finding> check_extension(std::string_view file_name,
                                               std::string_view detected_format) {
  auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos || detected_format.empty() || detected_format == "unknown" ||
      detected_format == "empty")
    return std::nullopt;
  std::string ext(file_name.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& rule : kRules) {
    if (rule.extension != ext) continue;
    if (format_in(detected_format, rule.formats)) return std::nullopt;
    report::Finding f;
    f.rule = "format.extension-mismatch";
    f.severity = report::Severity::medium;
    f.verdict = report::Verdict::suspicious;
    f.category = "format-anomaly";
    f.message = "the file is named like " + std::string(rule.extension.substr(1)) +
                " but its content is " + std::string(detected_format);
    f.evidence = std::string(file_name);
    return f;
  }
  return std::nullopt;
}

}  // namespace hubguard::scan
