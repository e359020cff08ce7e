#include "hubguard/scan/formats/onnx_external_data.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace hubguard::scan::onnx {

std::optional<std::string> location_escape(std::string_view loc) {
  if (loc.find('\0') != std::string_view::npos)
    return "holds a NUL byte (C file APIs stop there and open another path)";
  if (loc.starts_with("\\\\") || loc.starts_with("//")) return "is a network (UNC) path";
  if (loc.starts_with("/") || loc.starts_with("\\")) return "is an absolute path";
  if (loc.size() >= 2 && std::isalpha(static_cast<unsigned char>(loc[0])) && loc[1] == ':')
    return "names a drive (" + std::string(loc.substr(0, 2)) + ")";
  if (loc.starts_with("~")) return "starts with ~ (a home directory)";
  // Windows loaders split on both separators; count how far `..` segments climb.
  long depth = 0;
  for (std::size_t pos = 0; pos <= loc.size();) {
    const std::size_t end = std::min(loc.find_first_of("/\\", pos), loc.size());
    const std::string_view segment = loc.substr(pos, end - pos);
    if (segment == "..") {
      if (--depth < 0) return "climbs out of the model's directory with '..'";
    } else if (!segment.empty() && segment != ".") {
      ++depth;
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::optional<std::string> location_resolves_outside(const std::string& model_path,
                                                     std::string_view location) {
  namespace fs = std::filesystem;
  if (location.empty() || location.find('\0') != std::string_view::npos) return std::nullopt;
  std::error_code ec;
  fs::path dir = fs::path(model_path).parent_path();
  if (dir.empty()) dir = ".";
  const fs::path real_dir = fs::canonical(dir, ec);
  if (ec) return std::nullopt;
  // A missing target (or a link loop) cannot be read by a loader either.
  const fs::path real_target = fs::canonical(dir / fs::path(std::string(location)), ec);
  if (ec) return std::nullopt;
  auto [d, t] =
      std::mismatch(real_dir.begin(), real_dir.end(), real_target.begin(), real_target.end());
  if (d == real_dir.end()) return std::nullopt;  // inside (or the directory itself)
  return real_target.string();
}

}  // namespace hubguard::scan::onnx
