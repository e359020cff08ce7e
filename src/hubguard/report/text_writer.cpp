#include <fmt/format.h>

#include "hubguard/report/writers.hpp"

namespace hubguard::report {
namespace {

std::string_view color_of(Verdict v) {
  switch (v) {
    case Verdict::malicious: return "\033[1;31m";
    case Verdict::dangerous: return "\033[31m";
    case Verdict::unscannable: return "\033[35m";
    case Verdict::suspicious: return "\033[33m";
    case Verdict::clean: return "\033[32m";
  }
  return "";
}

// Evidence can hold hostile bytes: show control characters escaped so a report cannot
// rewrite the terminal.
std::string printable(std::string_view s, std::size_t max = 400) {
  std::string out;
  for (unsigned char c : s.substr(0, max)) {
    if (c == '\n') out += "\\n";
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out.push_back(static_cast<char>(c));
  }
  if (s.size() > max) out += "...";
  return out;
}

}  // namespace

void write_text(const Report& report, std::ostream& out, const TextOptions& options) {
  auto paint = [&](Verdict v, std::string_view text) {
    if (!options.color) return std::string(text);
    return fmt::format("{}{}\033[0m", color_of(v), text);
  };
  for (const auto& file : report.files) {
    if (!options.show_clean && file.findings.empty() && file.error.empty()) continue;
    out << fmt::format("{}  {}  [{}]\n", paint(file.verdict, fmt::format("{:<11}", to_string(file.verdict))),
                       printable(file.path), file.format.empty() ? "?" : file.format);
    if (!file.error.empty()) out << "    error: " << printable(file.error) << '\n';
    for (const auto& f : file.findings) {
      std::string where = f.location.member.empty() ? fmt::format("@{}", f.location.offset)
                                                     : fmt::format("{}@{}", printable(f.location.member),
                                                                   f.location.offset);
      out << fmt::format("    {:<8} {:<28} {}  ({})\n", to_string(f.severity), f.rule,
                         printable(f.message), where);
      if (!f.evidence.empty()) out << "             evidence: " << printable(f.evidence) << '\n';
    }
    if (options.show_programs) {
      for (const auto& p : file.programs) {
        out << "    program" << (p.member.empty() ? "" : " in " + printable(p.member)) << ":\n";
        std::size_t start = 0;
        while (start < p.text.size()) {
          auto end = p.text.find('\n', start);
          if (end == std::string::npos) end = p.text.size();
          out << "      " << printable(std::string_view(p.text).substr(start, end - start), 2000)
              << '\n';
          start = end + 1;
        }
      }
    }
  }
  const Summary s = report.summarize();
  out << fmt::format("\n{} files, {} bytes, {} findings:", s.files, s.bytes, s.findings);
  for (const auto& [verdict, count] : s.by_verdict)
    if (count > 0) out << fmt::format(" {} {}", count, verdict);
  out << '\n';
}

}  // namespace hubguard::report
