// Writing a hub scan report in the format the user chose (text, json, html) to stdout or -o
// FILE: shared by `hub scan` and `hub report --db`, so both print the same thing.
#pragma once

#include <string>

#include "hubguard/report/hub_report.hpp"

namespace hubguard::cli {

struct HubOutputOptions {
  std::string format = "text";  // text | json | html
  std::string output;           // empty: stdout
  bool show_clean = false;      // text: list clean repositories too
  bool show_program = false;    // text: print recovered pickle programs
};

// False (the reason already printed on stderr) when the output cannot be written.
bool write_hub_report(const report::HubReport& report, const HubOutputOptions& options);

}  // namespace hubguard::cli
