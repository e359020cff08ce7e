#include "cli/hub_output.hpp"

#include "cli/output.hpp"
#include "hubguard/report/html_writer.hpp"
#include "hubguard/report/hub_writers.hpp"

namespace hubguard::cli {

bool write_hub_report(const report::HubReport& report, const HubOutputOptions& options) {
  return write_output(options.output, [&](std::ostream& out) {
    if (options.format == "json") {
      report::write_hub_json(report, out);
    } else if (options.format == "html") {
      report::write_html(report, out);
    } else {
      report::TextOptions text;
      text.color = options.output.empty() && stdout_wants_color();
      text.show_clean = options.show_clean;
      text.show_programs = options.show_program;
      report::write_hub_text(report, out, text);
    }
  });
}

}  // namespace hubguard::cli
