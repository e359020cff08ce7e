// What a Keras Lambda layer's code reaches outside the tensors it is given. Code in a
// Lambda runs on every call of the model (and on load with safe_mode=False), so the policy
// is stricter than for code that merely sits in a file: any call or import the callable
// policy calls dangerous (processes, shell, network, files, eval/exec, dynamic imports,
// interpreter internals) makes the Lambda at least `dangerous`, however harmless its
// arguments look (`os.system('echo hi')` is a command runner in a place where none belongs).
// A Lambda that only does arithmetic or tensor calls reaches nothing here and stays
// `suspicious` (code that runs, nothing harmful seen).
#pragma once

#include <string>
#include <vector>

#include "hubguard/scan/policy/classify.hpp"
#include "hubguard/scan/python/bytecode_pseudo_source.hpp"

namespace hubguard::scan {

struct LambdaHostAccess {
  std::string call;                      // as the code spells it: "__import__('os').system"
  policy::Classification classification; // dangerous; path is the resolved name ("os.system")
};

// The dangerous calls and imports in a Lambda's recovered code, in order, deduplicated by
// resolved name (at most `max_items`).
std::vector<LambdaHostAccess> lambda_host_access(const python::PseudoSource& code, std::size_t max_items = 16);

}  // namespace hubguard::scan
