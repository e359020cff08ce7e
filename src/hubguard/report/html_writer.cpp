// The single-scan page: summary, behaviours, indicators, the file table by risk, then a
// detail block per file that has something to show.
#include <fmt/format.h>

#include "hubguard/report/html_page.hpp"
#include "hubguard/report/html_scan_section.hpp"
#include "hubguard/report/html_writer.hpp"

namespace hubguard::report {

void write_html(const Report& report, std::ostream& out) {
  const Summary s = report.summarize();
  write_page_start(out, "hubguard scan report",
                   fmt::format("{} {} · {} files, {} bytes, {} findings · worst verdict: {}",
                               report.tool.name, report.tool.version, s.files, s.bytes,
                               s.findings, to_string(s.worst)));
  out << "<h2>Files by verdict</h2>\n";
  write_verdict_cards(out, s.by_verdict, "files");
  out << "<h2>Behaviours</h2>\n";
  const auto all = pointers_to(report.files);
  write_behaviour_table(out, all);
  write_indicator_table(out, all);

  const auto order = files_by_risk(report.files);
  out << "<h2>Files, most at risk first</h2>\n" << filter_bar("files");
  write_file_table(out, report.files, order, "files", "file-");

  out << "<h2>Findings and evidence</h2>\n";
  std::size_t shown = 0;
  for (std::size_t index : order) {
    const auto& file = report.files[index];
    if (!has_details(file)) continue;
    write_file_details(out, file, fmt::format("file-{}", index), "files");
    ++shown;
  }
  if (shown == 0) out << "<p>No file has findings.</p>\n";
  write_page_end(out);
}

}  // namespace hubguard::report
