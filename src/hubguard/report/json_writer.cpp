#include <nlohmann/json.hpp>

#include "hubguard/report/file_report_json.hpp"
#include "hubguard/report/writers.hpp"

namespace hubguard::report {
using nlohmann::ordered_json;

void write_json(const Report& report, std::ostream& out) {
  ordered_json j;
  j["tool"] = {{"name", report.tool.name}, {"version", report.tool.version}};
  ordered_json files = ordered_json::array();
  for (const auto& f : report.files) files.push_back(file_report_to_ordered_json(f));
  j["files"] = std::move(files);
  const Summary s = report.summarize();
  j["summary"] = {{"files", s.files},           {"bytes", s.bytes},
                  {"findings", s.findings},     {"worst_verdict", to_string(s.worst)},
                  {"by_verdict", s.by_verdict}, {"by_category", s.by_category}};
  // Reports may carry hostile bytes (recovered strings): replace invalid UTF-8 rather than throw.
  out << j.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace hubguard::report
