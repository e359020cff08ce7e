// Escaping for the HTML reports. Everything a report shows that came from a scanned file or
// from GH Archive (file names, evidence, recovered programs, logins, repository names) is
// attacker-controlled, so every such string goes through html_escape before it reaches the
// page: markup characters become entities, control characters and invalid UTF-8 become
// visible \xNN escapes (a report must stay valid UTF-8 and must not hide bytes).
#pragma once

#include <string>
#include <string_view>

namespace hubguard::report {

// Text content and attribute values (always quoted with "): escapes & < > " ' and makes
// control bytes (other than newline and tab) and invalid UTF-8 visible as \xNN.
std::string html_escape(std::string_view text);

// Appends html_escape(text) to `out` (the hot path for large evidence and programs).
void append_html_escaped(std::string& out, std::string_view text);

}  // namespace hubguard::report
