#include "hubguard/report/file_report_json.hpp"

#include <string_view>

namespace hubguard::report {
namespace {

using nlohmann::ordered_json;

ordered_json finding_to_json(const Finding& f) {
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

// Field readers: each checks the type before reading, because nlohmann's get<> throws on a
// mismatch and the input is untrusted.
template <class J>
bool read_string(const J& obj, std::string_view key, std::string& out, bool nullable,
                 std::string& why) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    why = "missing '" + std::string(key) + "'";
    return false;
  }
  if (it->is_null() && nullable) {
    out.clear();
    return true;
  }
  if (!it->is_string()) {
    why = "'" + std::string(key) + "' is not a string";
    return false;
  }
  out = it->template get_ref<const std::string&>();
  return true;
}

template <class J>
bool read_u64(const J& obj, std::string_view key, std::uint64_t& out, std::string& why) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number_unsigned()) {
    why = "'" + std::string(key) + "' is missing or not an unsigned integer";
    return false;
  }
  out = it->template get<std::uint64_t>();
  return true;
}

template <class J>
bool read_verdict(const J& obj, std::string_view key, Verdict& out, std::string& why) {
  std::string name;
  if (!read_string(obj, key, name, false, why)) return false;
  auto v = parse_verdict(name);
  if (!v) {
    why = "unknown verdict '" + name + "'";
    return false;
  }
  out = *v;
  return true;
}

template <class J>
bool read_finding(const J& j, Finding& f, std::string& why) {
  if (!j.is_object()) {
    why = "finding is not an object";
    return false;
  }
  std::string severity;
  if (!read_string(j, "rule", f.rule, false, why) ||
      !read_string(j, "severity", severity, false, why) ||
      !read_verdict(j, "verdict", f.verdict, why) ||
      !read_string(j, "category", f.category, false, why) ||
      !read_string(j, "message", f.message, false, why) ||
      !read_string(j, "evidence", f.evidence, false, why))
    return false;
  auto s = parse_severity(severity);
  if (!s) {
    why = "unknown severity '" + severity + "'";
    return false;
  }
  f.severity = *s;
  auto loc = j.find("location");
  if (loc == j.end() || !loc->is_object()) {
    why = "'location' is missing or not an object";
    return false;
  }
  if (!read_string(*loc, "member", f.location.member, false, why) ||
      !read_u64(*loc, "offset", f.location.offset, why))
    return false;
  if (auto ind = j.find("indicators"); ind != j.end()) {
    if (!ind->is_array()) {
      why = "'indicators' is not an array";
      return false;
    }
    for (const auto& item : *ind) {
      Indicator i;
      if (!item.is_object() || !read_string(item, "kind", i.kind, false, why) ||
          !read_string(item, "value", i.value, false, why)) {
        if (why.empty()) why = "indicator is not an object";
        return false;
      }
      f.indicators.push_back(std::move(i));
    }
  }
  return true;
}

template <class J>
Result<FileReport> decode(const J& j) {
  if (!j.is_object()) return make_error("file report: not a JSON object");
  FileReport file;
  std::string why;
  std::string sha256;
  if (!read_string(j, "path", file.path, false, why) ||
      !read_string(j, "format", file.format, false, why) || !read_u64(j, "size", file.size, why) ||
      !read_string(j, "sha256", file.sha256, true, why) ||
      !read_verdict(j, "verdict", file.verdict, why) ||
      !read_string(j, "error", file.error, true, why))
    return make_error("file report: " + why);
  auto findings = j.find("findings");
  if (findings == j.end() || !findings->is_array())
    return make_error("file report: 'findings' is missing or not an array");
  file.findings.reserve(findings->size());
  for (const auto& item : *findings) {
    Finding f;
    if (!read_finding(item, f, why)) return make_error("file report: " + why);
    file.findings.push_back(std::move(f));
  }
  auto seen = j.find("formats_seen");
  if (seen == j.end() || !seen->is_array())
    return make_error("file report: 'formats_seen' is missing or not an array");
  for (const auto& item : *seen) {
    if (!item.is_string()) return make_error("file report: 'formats_seen' holds a non-string");
    file.formats_seen.push_back(item.template get<std::string>());
  }
  if (auto programs = j.find("programs"); programs != j.end()) {
    if (!programs->is_array()) return make_error("file report: 'programs' is not an array");
    for (const auto& item : *programs) {
      RecoveredProgram p;
      if (!item.is_object() || !read_string(item, "member", p.member, false, why) ||
          !read_string(item, "text", p.text, false, why))
        return make_error("file report: program: " + (why.empty() ? "not an object" : why));
      file.programs.push_back(std::move(p));
    }
  }
  // A verdict better than its own findings would let a corrupted cache entry or a subverted
  // worker hide a finding; the findings win.
  for (const auto& f : file.findings) file.verdict = worst(file.verdict, f.verdict);
  if (!file.error.empty()) file.verdict = worst(file.verdict, Verdict::unscannable);
  return file;
}

}  // namespace

ordered_json file_report_to_ordered_json(const FileReport& file) {
  ordered_json j;
  j["path"] = file.path;
  j["format"] = file.format;
  j["size"] = file.size;
  j["sha256"] = file.sha256.empty() ? ordered_json(nullptr) : ordered_json(file.sha256);
  j["verdict"] = to_string(file.verdict);
  ordered_json findings = ordered_json::array();
  for (const auto& f : file.findings) findings.push_back(finding_to_json(f));
  j["findings"] = std::move(findings);
  j["error"] = file.error.empty() ? ordered_json(nullptr) : ordered_json(file.error);
  j["formats_seen"] = file.formats_seen;
  if (!file.programs.empty()) {
    ordered_json programs = ordered_json::array();
    for (const auto& p : file.programs)
      programs.push_back({{"member", p.member}, {"text", p.text}});
    j["programs"] = std::move(programs);
  }
  return j;
}

nlohmann::json file_report_to_json(const FileReport& file) {
  return nlohmann::json(file_report_to_ordered_json(file));
}

Result<FileReport> file_report_from_json(const nlohmann::json& j) {
  return decode(j);
}
Result<FileReport> file_report_from_json(const ordered_json& j) {
  return decode(j);
}

}  // namespace hubguard::report
