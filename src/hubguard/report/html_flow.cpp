#include "hubguard/report/html_flow.hpp"

namespace hubguard::report {
namespace {

constexpr std::string_view kMarker = " (line ";
constexpr std::string_view kArrow = " -> ";
constexpr std::size_t kMaxSteps = 256;  // flows are short; a longer "flow" is just text

// If a "(line N)" marker starts at `at` and is followed by the end or an arrow, returns the
// position just past the marker and sets `line`; else npos.
std::size_t marker_end(std::string_view s, std::size_t at, std::uint32_t& line) {
  std::size_t i = at + kMarker.size();
  std::uint64_t value = 0;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 9) {
    value = value * 10 + static_cast<unsigned>(s[i] - '0');
    ++i;
    ++digits;
  }
  if (digits == 0 || i >= s.size() || s[i] != ')') return std::string_view::npos;
  ++i;
  if (i != s.size() && s.substr(i, kArrow.size()) != kArrow) return std::string_view::npos;
  line = static_cast<std::uint32_t>(value);
  return i;
}

}  // namespace

std::vector<FlowStep> split_flow(std::string_view evidence) {
  std::vector<FlowStep> steps;
  std::size_t start = 0;
  std::size_t search = 0;
  while (start < evidence.size()) {
    const std::size_t at = evidence.find(kMarker, search);
    if (at == std::string_view::npos) return {};
    std::uint32_t line = 0;
    const std::size_t end = marker_end(evidence, at, line);
    if (end == std::string_view::npos) {
      search = at + 1;  // "(line " inside the step's own text
      continue;
    }
    if (steps.size() == kMaxSteps) return {};
    steps.push_back({std::string(evidence.substr(start, at - start)), line});
    if (end == evidence.size()) return steps;
    start = search = end + kArrow.size();
  }
  return {};  // ended on an arrow: not a flow we wrote
}

}  // namespace hubguard::report
