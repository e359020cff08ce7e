#include "hubguard/stars/archive_files.hpp"

#include <algorithm>
#include <system_error>

namespace hubguard::stars {

bool is_archive_file_name(std::string_view name) {
  for (std::string_view ext : {".json.gz", ".json", ".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"})
    if (name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext) return true;
  return false;
}

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      // Compare digit runs by value: skip leading zeros, then longer run is bigger.
      std::size_t ia = i, jb = j;
      while (ia < a.size() && a[ia] == '0') ++ia;
      while (jb < b.size() && b[jb] == '0') ++jb;
      std::size_t ea = ia, eb = jb;
      while (ea < a.size() && is_digit(a[ea])) ++ea;
      while (eb < b.size() && is_digit(b[eb])) ++eb;
      if (ea - ia != eb - jb) return ea - ia < eb - jb;
      auto c = a.substr(ia, ea - ia).compare(b.substr(jb, eb - jb));
      if (c != 0) return c < 0;
      i = ea;
      j = eb;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  if (a.size() - i != b.size() - j) return a.size() - i < b.size() - j;
  return a < b;
}

Result<std::vector<std::filesystem::path>> list_archive_files(
    const std::vector<std::filesystem::path>& inputs) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& input : inputs) {
    std::error_code ec;
    auto status = fs::status(input, ec);
    if (ec || !fs::exists(status)) return make_error(input.string() + ": no such file or directory");
    if (fs::is_directory(status)) {
      std::vector<fs::path> found;
      fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, ec);
      if (ec) return make_error(input.string() + ": " + ec.message());
      for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) return make_error(input.string() + ": " + ec.message());
        if (it->is_regular_file(ec) && is_archive_file_name(it->path().filename().string()))
          found.push_back(it->path());
      }
      std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
        return natural_less(a.string(), b.string());
      });
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(input);  // named explicitly: read whatever its extension
    }
  }
  return files;
}

}  // namespace hubguard::stars
