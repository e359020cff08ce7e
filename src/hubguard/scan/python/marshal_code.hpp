// From marshalled bytes to code evidence: parse the marshal stream (marshal_reader), print its
// code objects as pseudo-source (bytecode_pseudo_source) and wrap the result as a
// CodeEvidence of kind `bytecode`, which the code analyzers (Python analysis, YARA rules,
// decoding layers) read like source. Used by the handlers that meet marshalled code: Keras
// Lambda layers, dill/cloudpickle functions, `marshal.loads` arguments in pickles, and
// decoded layers that turn out to be marshal data.
#pragma once

#include <optional>

#include "hubguard/core/bytes.hpp"
#include "hubguard/core/limits.hpp"
#include "hubguard/core/result.hpp"
#include "hubguard/scan/evidence.hpp"
#include "hubguard/scan/python/bytecode_pseudo_source.hpp"

namespace hubguard::scan::python {

// The pseudo-source of a marshalled code object (or of any marshalled value holding code
// objects, e.g. a tuple). An error when the bytes are not marshal data or hold no code.
Result<PseudoSource> marshalled_pseudo_source(Bytes data, const ScanLimits& limits);

// The same as evidence: kind = bytecode, text = pseudo-source, via names the bytecode
// version. nullopt when `data` is not marshalled code.
std::optional<CodeEvidence> code_from_marshal(Bytes data, const ScanLimits& limits,
                                              std::string via = "marshalled code object");

std::string_view to_string(BytecodeFamily family);

}  // namespace hubguard::scan::python
