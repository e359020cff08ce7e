// HTML reports: one self-contained page a person opens in a browser (no network, no external
// file), for a scan (`hubguard scan -f html`) or a hub scan (`hubguard hub scan -f html`).
// A summary by verdict and behaviour, files (or repositories) sorted by risk, and each finding
// with its evidence: the taint flow step by step, the recovered pickle program, the
// indicators. Tables sort on a click and filter by text and verdict. Every string that came
// from a scanned file is escaped, and the page's Content-Security-Policy allows only its own
// script to run.
#pragma once

#include <ostream>

#include "hubguard/report/hub_report.hpp"
#include "hubguard/report/report.hpp"

namespace hubguard::report {

void write_html(const Report& report, std::ostream& out);
void write_html(const HubReport& report, std::ostream& out);

}  // namespace hubguard::report
