// The report model shared by every command and every writer: the tool's identity, one
// FileReport per file on disk, and a summary derived from them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hubguard/report/file_report.hpp"

namespace hubguard::report {

struct ToolInfo {
  std::string name = "hubguard";
  std::string version;
};

struct Summary {
  std::size_t files = 0;
  std::uint64_t bytes = 0;
  std::size_t findings = 0;
  std::map<std::string, std::size_t> by_verdict;   // verdict name -> files
  std::map<std::string, std::size_t> by_category;  // finding category -> findings
  Verdict worst = Verdict::clean;
};

struct Report {
  ToolInfo tool;
  std::vector<FileReport> files;

  Summary summarize() const;
};

}  // namespace hubguard::report
