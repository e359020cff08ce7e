#include <nlohmann/json.hpp>

#include "hubguard/report/writers.hpp"

namespace hubguard::report {
namespace {

using nlohmann::ordered_json;

ordered_json to_json(const Finding& f) {
  ordered_json j;
  j["rule"] = f.rule;
  j["severity"] = to_string(f.severity);
  j["verdict"] = to_string(f.verdict);
  j["category"] = f.category;
  j["message"] = f.message;
  j["location"] = {{"member", f.location.member}, {"offset", f.location.offset}};
  j["evidence"] = f.evidence;
  if (!f.indicators.empty()) {
    ordered_json list = ordered_json::array();
    for (const auto& i : f.indicators) list.push_back({{"kind", i.kind}, {"value", i.value}});
    j["indicators"] = std::move(list);
  }
  return j;
}

ordered_json to_json(const FileReport& file) {
  ordered_json j;
  j["path"] = file.path;
  j["format"] = file.format;
  j["size"] = file.size;
  j["sha256"] = file.sha256.empty() ? ordered_json(nullptr) : ordered_json(file.sha256);
  j["verdict"] = to_string(file.verdict);
  ordered_json findings = ordered_json::array();
  for (const auto& f : file.findings) findings.push_back(to_json(f));
  j["findings"] = std::move(findings);
  j["error"] = file.error.empty() ? ordered_json(nullptr) : ordered_json(file.error);
  j["formats_seen"] = file.formats_seen;
  if (!file.programs.empty()) {
    ordered_json programs = ordered_json::array();
    for (const auto& p : file.programs) programs.push_back({{"member", p.member}, {"text", p.text}});
    j["programs"] = std::move(programs);
  }
  return j;
}

}  // namespace

void write_json(const Report& report, std::ostream& out) {
  ordered_json j;
  j["tool"] = {{"name", report.tool.name}, {"version", report.tool.version}};
  ordered_json files = ordered_json::array();
  for (const auto& f : report.files) files.push_back(to_json(f));
  j["files"] = std::move(files);
  const Summary s = report.summarize();
  j["summary"] = {{"files", s.files},           {"bytes", s.bytes},
                  {"findings", s.findings},     {"worst_verdict", to_string(s.worst)},
                  {"by_verdict", s.by_verdict}, {"by_category", s.by_category}};
  // Reports may carry hostile bytes (recovered strings): replace invalid UTF-8 rather than throw.
  out << j.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace hubguard::report
