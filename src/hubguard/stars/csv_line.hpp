// Splits one CSV record (RFC 4180: comma-separated, fields optionally in double quotes with ""
// for a quote) into fields. Records spanning lines are not supported: extract fields are
// logins, repository names, timestamps and numbers, none of which holds a newline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hubguard::stars {

// False if a quoted field is not closed or text follows a closing quote.
bool split_csv_line(std::string_view line, std::vector<std::string>& fields);

}  // namespace hubguard::stars
