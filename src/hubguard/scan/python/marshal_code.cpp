#include "hubguard/scan/python/marshal_code.hpp"

namespace hubguard::scan::python {

std::string_view to_string(BytecodeFamily family) {
  switch (family) {
    case BytecodeFamily::py36_310: return "CPython 3.6-3.10";
    case BytecodeFamily::py311: return "CPython 3.11";
    case BytecodeFamily::py312: return "CPython 3.12";
  }
  return "CPython";
}

Result<PseudoSource> marshalled_pseudo_source(Bytes data, const ScanLimits& limits) {
  MarshalLimits ml;
  ml.max_string = limits.max_source_size;
  auto doc = read_marshal(data, ml);
  if (!doc) return doc.error();
  if (!doc->has_code) return make_error("marshal data holds no code object");
  PseudoSourceLimits pl;
  pl.max_output = static_cast<std::size_t>(limits.max_source_size);
  return pseudo_source(*doc, pl);
}

std::optional<CodeEvidence> code_from_marshal(Bytes data, const ScanLimits& limits, std::string via) {
  auto source = marshalled_pseudo_source(data, limits);
  if (!source) return std::nullopt;
  CodeEvidence evidence;
  evidence.kind = CodeKind::bytecode;
  evidence.text = std::move(source->text);
  evidence.via = std::move(via) + " (" + std::string(to_string(source->family)) + " bytecode)";
  return evidence;
}

}  // namespace hubguard::scan::python
