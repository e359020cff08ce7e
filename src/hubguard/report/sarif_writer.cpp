#include <map>
#include <nlohmann/json.hpp>

#include "hubguard/report/writers.hpp"

namespace hubguard::report {
namespace {

using nlohmann::ordered_json;

// SARIF levels: error for verdicts that should block, warning for suspicious/unscannable,
// note for informational findings.
std::string_view sarif_level(const Finding& f) {
  switch (f.verdict) {
    case Verdict::malicious:
    case Verdict::dangerous:
      return "error";
    case Verdict::unscannable:
    case Verdict::suspicious:
      return "warning";
    case Verdict::clean:
      return "note";
  }
  return "note";
}

// GitHub code scanning ranks alerts by this property (0.0-10.0).
std::string security_severity(Severity s) {
  switch (s) {
    case Severity::critical: return "9.5";
    case Severity::high: return "8.0";
    case Severity::medium: return "5.5";
    case Severity::low: return "3.0";
    case Severity::info: return "0.0";
  }
  return "0.0";
}

}  // namespace

void write_sarif(const Report& report, std::ostream& out) {
  std::map<std::string, const Finding*> rules;  // rule id -> first finding (for its metadata)
  for (const auto& file : report.files)
    for (const auto& f : file.findings) rules.emplace(f.rule, &f);

  ordered_json rule_list = ordered_json::array();
  std::map<std::string, std::size_t> rule_index;
  for (const auto& [id, f] : rules) {
    rule_index[id] = rule_list.size();
    rule_list.push_back({{"id", id},
                         {"name", id},
                         {"shortDescription", {{"text", id}}},
                         {"properties",
                          {{"category", f->category},
                           {"security-severity", security_severity(f->severity)},
                           {"tags", {"security", f->category}}}}});
  }

  ordered_json results = ordered_json::array();
  ordered_json notifications = ordered_json::array();
  for (const auto& file : report.files) {
    for (const auto& f : file.findings) {
      std::string message = f.message;
      if (!f.location.member.empty()) message += " (in " + f.location.member + ")";
      ordered_json location = {
          {"physicalLocation",
           {{"artifactLocation", {{"uri", file.path}}},
            {"region", {{"byteOffset", f.location.offset}, {"byteLength", 1}}}}}};
      if (!f.location.member.empty())
        location["logicalLocations"] = {{{"name", f.location.member}, {"kind", "member"}}};
      ordered_json result = {{"ruleId", f.rule},
                             {"ruleIndex", rule_index[f.rule]},
                             {"level", sarif_level(f)},
                             {"message", {{"text", message}}},
                             {"locations", {location}},
                             {"properties",
                              {{"verdict", to_string(f.verdict)},
                               {"severity", to_string(f.severity)},
                               {"evidence", f.evidence}}}};
      if (!f.indicators.empty()) {  // indicators of compromise: IPs, ports, URLs, domains, paths
        ordered_json list = ordered_json::array();
        for (const auto& i : f.indicators) list.push_back({{"kind", i.kind}, {"value", i.value}});
        result["properties"]["indicators"] = std::move(list);
      }
      results.push_back(std::move(result));
    }
    if (!file.error.empty())
      notifications.push_back({{"level", "error"},
                               {"message", {{"text", file.path + ": unscannable: " + file.error}}}});
  }

  ordered_json run = {
      {"tool",
       {{"driver",
         {{"name", report.tool.name},
          {"version", report.tool.version},
          {"informationUri", "https://github.com/hubguard/hubguard"},
          {"rules", std::move(rule_list)}}}}},
      {"results", std::move(results)},
      {"invocations",
       {{{"executionSuccessful", true}, {"toolExecutionNotifications", std::move(notifications)}}}}};
  ordered_json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", {std::move(run)}}};
  out << sarif.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace hubguard::report
