// A Finding is one reportable observation about a file: which rule fired, how severe it
// is, what verdict it implies for the file, where it is (member path inside containers and
// byte offset) and the evidence a person can check.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hubguard/report/verdict.hpp"

namespace hubguard::report {

struct Location {
  std::string member;        // path inside containers, "outer.zip!/inner/data.pkl"; empty = file itself
  std::uint64_t offset = 0;  // byte offset within that member (or the file)
};

// Indicators of compromise extracted from evidence (IP addresses, URLs, domains, paths).
struct Indicator {
  std::string kind;   // "ip", "url", "domain", "port", "path", "email"
  std::string value;
};

struct Finding {
  std::string rule;       // stable id, e.g. "pickle.dangerous-call", "zip.crc-mismatch"
  Severity severity = Severity::info;
  Verdict verdict = Verdict::clean;  // what this finding implies for the file
  std::string category;   // behaviour class or structural category ("code-execution", "format-anomaly")
  std::string message;    // one sentence a person can read
  Location location;
  std::string evidence;   // the exact thing seen: recovered call, code excerpt, header bytes
  std::vector<Indicator> indicators;
};

// A finding with its location's offset filled (the scan engine adds the member path).
Finding make_finding(std::string rule, Severity severity, Verdict verdict, std::string category,
                     std::string message, std::uint64_t offset = 0, std::string evidence = {});

}  // namespace hubguard::report
