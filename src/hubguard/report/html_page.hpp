// The shell every HTML report shares: one self-contained page (inline CSS and one small inline
// script, no external URL of any kind) with a Content-Security-Policy that lets only that
// exact script run (by its SHA-256), so even a string that escaped escaping could not execute.
// The script sorts tables whose header cells are clicked, filters rows by text and verdict,
// and, once it has run to the end, marks <html data-hubguard-ready="1"> (the browser test
// checks the mark, so a script error fails it).
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace hubguard::report {

// Writes <!DOCTYPE html> through the opening <main>. `title` and `subtitle` are escaped here.
void write_page_start(std::ostream& out, std::string_view title, std::string_view subtitle);

// Closes <main>, adds the script and closes the document.
void write_page_end(std::ostream& out);

// A text box and a verdict menu that filter every element carrying data-filter="`group`"
// (rows carry data-verdict); the count of visible table rows shows next to them.
std::string filter_bar(std::string_view group, bool with_verdicts = true);

// The inline script and its CSP source expression ('sha256-<base64>'), exposed for tests.
std::string_view page_script();
std::string page_script_csp_source();

}  // namespace hubguard::report
