// Reading a taint flow back out of a code finding's evidence, so the HTML report can show it
// step by step with the source and the sink highlighted. The Python analysis writes a flow as
// "step (line N) -> step (line M) -> sink (line K)" (a direct finding is just the sink step).
// A step's own text may contain " -> " (annotations, lambdas), so steps are cut only where a
// "(line N)" marker ends; evidence that is not entirely such steps is not a flow.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hubguard::report {

struct FlowStep {
  std::string code;        // the code excerpt of the step
  std::uint32_t line = 0;  // 1-based source line
};

// The steps in order (source first, sink last), or empty when `evidence` is not a flow.
std::vector<FlowStep> split_flow(std::string_view evidence);

}  // namespace hubguard::report
