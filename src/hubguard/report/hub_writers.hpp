// Writers of a hub scan report (HubReport): JSON for scripts — {"repositories": [{"path",
// "kind", "verdict", "files": [scan --format json entries], "contents"}], "changes": [...],
// "summary": {...}} — and text for people: repositories sorted by risk with their flagged
// files and findings, what each holds that runs code (remote-code modules, dataset scripts),
// and what changed since the previous run. HTML is write_html (html_writer.hpp).
#pragma once

#include <ostream>

#include "hubguard/report/hub_report.hpp"
#include "hubguard/report/writers.hpp"

namespace hubguard::report {

void write_hub_json(const HubReport& report, std::ostream& out);

// TextOptions::show_clean lists clean repositories too (by name); show_programs prints the
// recovered programs of flagged files.
void write_hub_text(const HubReport& report, std::ostream& out, const TextOptions& options = {});

// Repositories worst first (verdict, then flagged files, then path): the order people read.
std::vector<const RepositoryReport*> repositories_by_risk(const HubReport& report);

}  // namespace hubguard::report
