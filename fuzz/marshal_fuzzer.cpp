// The CPython marshal reader (references, code objects in three layouts) and the bytecode
// pseudo-source printer that turns code objects into text for the analyzers.
#include "fuzz_support.hpp"
#include "hubguard/scan/python/marshal_code.hpp"
#include "hubguard/scan/python/marshal_reader.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes bytes(data, size);
  std::uint64_t sum = 0;
  if (auto doc = scan::python::read_marshal(bytes)) sum += doc->consumed + doc->has_code;
  if (auto code = scan::python::code_from_marshal(bytes, fuzz::fuzz_limits()))
    sum += fuzz::touch(code->text) + fuzz::touch(code->via);
  fuzz::keep(sum);
  return 0;
}
