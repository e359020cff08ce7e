// Where a command's report goes: stdout or the file given with -o, written atomically
// enough for scripts (the file is replaced only once the report is complete).
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace hubguard::cli {

// Calls `write` with the stream to write to. Returns false (after printing the reason on
// stderr) when the output file cannot be written.
bool write_output(const std::string& path, const std::function<void(std::ostream&)>& write);

// True when stdout is a terminal and colour is not disabled (NO_COLOR).
bool stdout_wants_color();

}  // namespace hubguard::cli
