// Shell command lines (os.system/subprocess arguments, `python -c` lines recovered from a
// pickle): what they do and what they carry. The behaviour of the line comes from the
// shared classifier (python/shell_command.hpp: reverse shell, download-and-run, persistence
// ...); this file adds what only a shell reader sees: the quoted code of `python -c '...'`
// (analysed again as a Python code string), the command of `sh -c '...'`, and the
// base64/UTF-16 payload of `powershell -EncodedCommand`. Quoting follows POSIX sh closely
// enough for recovery; nothing is run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hubguard/report/finding.hpp"

namespace hubguard::scan {

struct ShellAnalysis {
  std::vector<report::Finding> findings;      // recognised behaviours of the line
  std::vector<std::string> python_code;       // `python -c CODE` arguments
  std::vector<std::string> shell_code;        // `sh -c CMD`, decoded `powershell -enc`
};

ShellAnalysis analyze_shell_command(std::string_view command);

// POSIX-like word splitting: quotes removed, backslash escapes resolved, separators
// (; | & newline) as their own words. Bounded to `max_words`.
std::vector<std::string> shell_words(std::string_view command, std::size_t max_words = 4096);

}  // namespace hubguard::scan
