// The result of scanning one file on disk: its detected format, verdict, findings (those
// from inside containers carry the member path in their location), and, when the file
// could not be parsed, the reason.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hubguard/report/finding.hpp"

namespace hubguard::report {

// A program recovered from a pickle (or other code carrier), printed as Python-like text.
struct RecoveredProgram {
  std::string member;  // where it came from
  std::string text;
};

struct FileReport {
  std::string path;
  std::string format;           // format of the file itself ("pickle", "pytorch-zip", ...)
  std::uint64_t size = 0;
  std::string sha256;
  Verdict verdict = Verdict::clean;
  std::vector<Finding> findings;
  std::string error;            // set when (part of) the file could not be parsed
  std::vector<std::string> formats_seen;  // every format met, containers included
  std::vector<RecoveredProgram> programs;

  // Recomputes `verdict` from the findings and `error`.
  void finalize();
};

}  // namespace hubguard::report
