#include "hubguard/scan/code_analysis.hpp"

namespace hubguard::scan {

// The semantic layer (Python taint analysis, YARA rules, behaviour classes) plugs in here.
// Until it lands, code evidence is judged where it is found: the pickle policy already marks
// the exec/eval/system call that carries a code string as dangerous.
std::vector<report::Finding> analyze_code(const CodeEvidence&, const ScanOptions&) { return {}; }

}  // namespace hubguard::scan
