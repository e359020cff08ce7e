// Report writers: one function per output format, all reading the same Report. Text is for
// people (colour when writing to a terminal), JSON is the stable machine format scripts
// depend on, SARIF 2.1.0 is what GitHub code scanning and other SAST dashboards load.
#pragma once

#include <ostream>
#include <string_view>

#include "hubguard/report/report.hpp"

namespace hubguard::report {

struct TextOptions {
  bool color = false;
  bool show_programs = false;
  bool show_clean = true;  // list files with no findings too
};

void write_text(const Report& report, std::ostream& out, const TextOptions& options = {});
void write_json(const Report& report, std::ostream& out);
void write_sarif(const Report& report, std::ostream& out);

}  // namespace hubguard::report
