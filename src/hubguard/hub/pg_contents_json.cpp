#include "hubguard/hub/pg_contents_json.hpp"

#include <string>
#include <vector>

namespace hubguard::hub {
namespace {

bool read_strings(const nlohmann::json& j, const char* key, std::vector<std::string>& out) {
  auto it = j.find(key);
  if (it == j.end()) return true;
  if (!it->is_array()) return false;
  for (const auto& v : *it) {
    if (!v.is_string()) return false;
    out.push_back(v.get<std::string>());
  }
  return true;
}

}  // namespace

nlohmann::json contents_to_json(const report::RepositoryContents& c) {
  nlohmann::json model = nlohmann::json::object();
  for (const auto& [format, files] : c.model_files) model[format] = files;
  return {{"model_files", std::move(model)},
          {"dataset_scripts", c.dataset_scripts},
          {"remote_code_modules", c.remote_code_modules},
          {"not_analysed", c.not_analysed}};
}

Result<report::RepositoryContents> contents_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return make_error("repository contents: not a JSON object");
  report::RepositoryContents c;
  if (auto it = j.find("model_files"); it != j.end()) {
    if (!it->is_object()) return make_error("repository contents: 'model_files' is not an object");
    for (const auto& [format, files] : it->items()) {
      std::vector<std::string> list;
      if (!files.is_array()) return make_error("repository contents: model_files['" + format + "'] is not a list");
      for (const auto& f : files) {
        if (!f.is_string()) return make_error("repository contents: a model file is not a string");
        list.push_back(f.get<std::string>());
      }
      c.model_files[format] = std::move(list);
    }
  }
  if (!read_strings(j, "dataset_scripts", c.dataset_scripts) ||
      !read_strings(j, "remote_code_modules", c.remote_code_modules) ||
      !read_strings(j, "not_analysed", c.not_analysed))
    return make_error("repository contents: a file list is not a list of strings");
  return c;
}

}  // namespace hubguard::hub
