// ONNX: the protobuf wire walk over a ModelProto (graphs, subgraphs in attributes at any
// depth, functions, tensors skipped by length, external data locations, metadata text),
// then the onnx handler's judgement on the same bytes when it claims them.
#include "fuzz_support.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/onnx_model_walk.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes bytes(data, size);
  // The walk runs whatever looks_like_model says: the handler's check is cheap and partial.
  const auto facts = scan::onnx::read_model(bytes);
  std::uint64_t sum = facts.graphs + facts.nodes + facts.tensors + fuzz::touch(facts.error);
  for (const auto& op : facts.foreign_ops) sum += fuzz::touch(op.domain) + fuzz::touch(op.op_type);
  for (const auto& ext : facts.external) sum += fuzz::touch(ext.location) + fuzz::touch(ext.first_tensor);
  for (const auto& text : facts.texts) sum += fuzz::touch(text.value);
  for (const auto& f : facts.functions) sum += fuzz::touch(f.domain) + fuzz::touch(f.name);
  sum += scan::onnx::looks_like_model(bytes);
  sum += fuzz::run_handler(scan::onnx_handler(), data, size);
  fuzz::keep(sum);
  return 0;
}
