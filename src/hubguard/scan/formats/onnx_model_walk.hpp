// Reads an ONNX ModelProto (field numbers from onnx.proto, walked with protobuf_wire.hpp)
// into the facts a security judgement needs, and nothing else: the operators used outside
// the standard domains, the operator sets imported, the model-local functions, where
// external tensor data is said to live, and the model-level free text (producer, doc
// strings, metadata_props). Every graph is visited: the main graph, subgraphs in If/Loop/Scan
// attributes at any nesting depth (bounded), function bodies and training graphs. Tensor
// payloads (raw_data, typed data) are skipped by length, so weights are never read. The walk
// itself judges nothing; onnx_handler.cpp does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/core/bytes.hpp"

namespace hubguard::scan::onnx {

// Subgraph nesting deeper than this (an If inside a Loop inside ...) makes the model malformed.
inline constexpr unsigned kMaxGraphDepth = 32;

// Operator domains every ONNX runtime ships: ONNX's own ("" and "ai.onnx"), ONNX-ML, the
// training preview, and onnxruntime's built-in contrib and layout domains.
bool is_standard_domain(std::string_view domain);

// Cheap content test (ONNX has no magic): the bytes start with a small ir_version and their
// top-level fields are ModelProto fields with the right wire types and UTF-8 strings,
// including a graph, an opset_import or a function -- or a cut inside one (a truncated model
// is still claimed, so it comes out unscannable instead of unknown).
bool looks_like_model(Bytes bytes);

struct OpUse {  // one distinct (domain, op_type) outside the standard domains
  std::string_view domain, op_type;
  std::uint64_t offset = 0;  // of the first node using it
  std::uint64_t nodes = 0;   // how many nodes use it
};
struct OpsetImport {
  std::string_view domain;
  std::uint64_t version = 0;
  std::uint64_t offset = 0;
};
struct LocalFunction {
  std::string_view domain, name;
};
struct ExternalLocation {  // one distinct `location` of tensors whose data_location is EXTERNAL
  std::string_view location;
  std::string_view first_tensor;
  std::uint64_t offset = 0;   // of the first tensor naming it
  std::uint64_t tensors = 0;  // how many tensors name it
};
struct ModelText {  // model-level free text: key names the field or metadata entry
  std::string key;
  std::string_view value;
  std::uint64_t offset = 0;
};

struct ModelFacts {
  std::uint64_t ir_version = 0;
  std::vector<OpsetImport> opset_imports;  // of the model and of its functions
  std::vector<LocalFunction> functions;
  std::vector<OpUse> foreign_ops;
  std::vector<ExternalLocation> external;
  std::vector<ModelText> texts;
  bool lists_truncated = false;  // some list above hit its bound; counts below stay exact
  std::uint64_t graphs = 0, nodes = 0, tensors = 0, external_tensors = 0;
  std::string error;  // the first malformation; the facts gathered before it stay valid
};

// Views in the facts point into `bytes`, which must outlive them.
ModelFacts read_model(Bytes bytes);

}  // namespace hubguard::scan::onnx
