#include "hubguard/hub/repository_contents.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <set>

namespace hubguard::hub {
namespace {

// Formats that are not models: text, data and images, and the hub's own pseudo-file formats.
constexpr std::array<std::string_view, 16> kNotModel = {
    "",        "text",  "empty", "unknown", "python", "link", "special",        "directory",
    "parquet", "arrow", "png",   "jpeg",    "gif",    "webp", "keras-metadata", "pmml"};

std::string relative_to(std::string_view path, std::string_view prefix) {
  if (prefix.empty() || prefix == ".") return std::string(path);
  if (path.size() > prefix.size() && path.substr(0, prefix.size()) == prefix &&
      path[prefix.size()] == '/')
    return std::string(path.substr(prefix.size() + 1));
  return std::string(path);
}

std::string lower_extension(std::string_view path) {
  auto slash = path.rfind('/');
  auto name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  std::string ext(name.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool is_python(const report::FileReport& f) {
  return f.format == "python" || lower_extension(f.path) == ".py";
}

bool not_analysed(const report::FileReport& f) {
  if (f.format == "unknown") return true;
  return std::any_of(f.findings.begin(), f.findings.end(), [](const report::Finding& x) {
    return x.rule == "format.not-analysed" || x.rule == "hub.broken-link" ||
           x.rule == "hub.directory-link" || x.rule == "hub.link-outside-root" ||
           x.rule == "hub.special-file" || x.rule.rfind("hub.limit-", 0) == 0;
  });
}

// "pkg.modeling_x.MyModel" -> "pkg/modeling_x.py"; empty when malformed.
std::string module_file(std::string_view reference) {
  std::string repo;
  if (auto sep = reference.find("--"); sep != std::string_view::npos) {
    repo = std::string(reference.substr(0, sep));
    reference = reference.substr(sep + 2);
  }
  auto dot = reference.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  std::string module(reference.substr(0, dot));
  // Module names are identifiers joined by dots; anything else (slashes, "..") is not a module
  // path a loader would import, and must not turn into a path that climbs out.
  for (char c : module)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
      return {};
  if (module.find("..") != std::string::npos || module.front() == '.' || module.back() == '.')
    return {};
  std::replace(module.begin(), module.end(), '.', '/');
  module += ".py";
  return repo.empty() ? module : repo + ":" + module;
}

}  // namespace

bool is_model_format(std::string_view format) {
  return std::find(kNotModel.begin(), kNotModel.end(), format) == kNotModel.end();
}

std::vector<std::string> auto_map_modules(std::string_view config_json) {
  std::set<std::string> out;
  // A hostile config may be anything: parse without exceptions, bounded by the file size the
  // caller read (config files are small; the caller caps the read).
  auto j = nlohmann::json::parse(config_json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return {};
  auto it = j.find("auto_map");
  if (it == j.end() || !it->is_object()) return {};
  for (const auto& [key, value] : it->items()) {
    (void)key;
    std::vector<const nlohmann::json*> refs;
    if (value.is_string()) refs.push_back(&value);
    if (value.is_array())
      for (const auto& v : value)
        if (v.is_string()) refs.push_back(&v);
    for (const auto* r : refs) {
      auto file = module_file(r->get_ref<const std::string&>());
      if (!file.empty()) out.insert(std::move(file));
    }
  }
  return {out.begin(), out.end()};
}

report::RepositoryContents describe_contents(const std::vector<report::FileReport>& files,
                                             std::string_view repo_prefix,
                                             report::RepositoryKind kind,
                                             const std::vector<std::string>& remote_code_modules) {
  report::RepositoryContents c;
  for (const auto& f : files) {
    const std::string rel = relative_to(f.path, repo_prefix);
    if (not_analysed(f)) c.not_analysed.push_back(rel);
    if (is_model_format(f.format)) c.model_files[f.format].push_back(rel);
    if (kind == report::RepositoryKind::dataset && is_python(f)) c.dataset_scripts.push_back(rel);
  }
  c.remote_code_modules = remote_code_modules;
  for (auto& [format, list] : c.model_files) std::sort(list.begin(), list.end());
  std::sort(c.dataset_scripts.begin(), c.dataset_scripts.end());
  std::sort(c.not_analysed.begin(), c.not_analysed.end());
  return c;
}

report::RepositoryKind infer_kind(report::RepositoryKind from_layout,
                                  const std::vector<report::FileReport>& files,
                                  std::string_view repo_prefix, std::string_view config_json) {
  if (from_layout != report::RepositoryKind::unknown) return from_layout;
  auto config = nlohmann::json::parse(config_json, nullptr, false);
  if (!config.is_discarded() && config.is_object() &&
      (config.contains("architectures") || config.contains("model_type")))
    return report::RepositoryKind::model;
  bool data = false;
  for (const auto& f : files) {
    if (is_model_format(f.format) && f.format != "zip" && f.format != "tar")
      return report::RepositoryKind::model;
    const std::string rel = relative_to(f.path, repo_prefix);
    const std::string ext = lower_extension(rel);
    if (f.format == "parquet" || f.format == "arrow" || ext == ".csv" || ext == ".tsv" ||
        ext == ".jsonl" || rel == "dataset_infos.json" || rel == "dataset_info.json" ||
        rel == "dataset_dict.json")
      data = true;
  }
  return data ? report::RepositoryKind::dataset : report::RepositoryKind::unknown;
}

}  // namespace hubguard::hub
