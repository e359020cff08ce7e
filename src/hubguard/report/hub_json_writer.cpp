#include <nlohmann/json.hpp>

#include "hubguard/report/file_report_json.hpp"
#include "hubguard/report/hub_writers.hpp"

namespace hubguard::report {
namespace {

using nlohmann::ordered_json;

ordered_json contents_json(const RepositoryContents& c) {
  ordered_json models = ordered_json::object();
  for (const auto& [format, files] : c.model_files) models[format] = files;
  return {{"model_files", std::move(models)},
          {"dataset_scripts", c.dataset_scripts},
          {"remote_code_modules", c.remote_code_modules},
          {"not_analysed", c.not_analysed}};
}

ordered_json change_json(const ChangedFile& c) {
  const bool has_previous = c.change != FileChange::added;
  const bool has_current = c.change != FileChange::removed;
  return {{"path", c.path},
          {"change", to_string(c.change)},
          {"previous", has_previous ? ordered_json(to_string(c.previous)) : ordered_json(nullptr)},
          {"current", has_current ? ordered_json(to_string(c.current)) : ordered_json(nullptr)}};
}

}  // namespace

void write_hub_json(const HubReport& report, std::ostream& out) {
  ordered_json j;
  j["tool"] = {{"name", report.tool.name}, {"version", report.tool.version}};
  j["root"] = report.root;
  ordered_json repos = ordered_json::array();
  for (const auto& repo : report.repositories) {
    ordered_json r;
    r["path"] = repo.path;
    r["kind"] = to_string(repo.kind);
    r["verdict"] = to_string(repo.verdict);
    ordered_json files = ordered_json::array();
    for (const auto& f : repo.files) files.push_back(file_report_to_ordered_json(f));
    r["files"] = std::move(files);
    r["contents"] = contents_json(repo.contents);
    repos.push_back(std::move(r));
  }
  j["repositories"] = std::move(repos);
  ordered_json changes = ordered_json::array();
  for (const auto& c : report.changes) changes.push_back(change_json(c));
  j["changes"] = std::move(changes);
  const HubSummary s = report.summarize();
  j["summary"] = {{"repositories", s.repositories},
                  {"files", s.files},
                  {"bytes", s.bytes},
                  {"findings", s.findings},
                  {"files_scanned", s.files_scanned},
                  {"files_from_cache", s.files_from_cache},
                  {"worst_verdict", to_string(s.worst)},
                  {"repositories_by_verdict", s.repositories_by_verdict},
                  {"files_by_verdict", s.files_by_verdict},
                  {"findings_by_category", s.findings_by_category}};
  // Hostile bytes in recovered strings: replace invalid UTF-8 rather than throw.
  out << j.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace hubguard::report
