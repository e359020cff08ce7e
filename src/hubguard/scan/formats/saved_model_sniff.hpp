// Content checks that recognise TensorFlow's protobuf files without parsing them in full.
// Protobuf has no magic bytes, so recognition walks the wire format of the first messages
// and requires the field layout TensorFlow writes:
//   - saved_model.pb: SavedModel{schema_version (1, varint), meta_graphs (2, message)} whose
//     first MetaGraphDef holds a graph_def (field 2);
//   - keras_metadata.pb: SavedMetadata{nodes (1, message)...} whose first node carries a
//     JSON object as its metadata (field 5).
// A file cut short is still recognised when its beginning has this layout, so that a
// truncated SavedModel is reported as unscannable rather than as an unknown file. These
// checks are cheap (a few dozen field headers) and never allocate.
#pragma once

#include <string_view>

#include "hubguard/core/bytes.hpp"

namespace hubguard::scan {

// `file_name` is a tie-breaker only: a file called saved_model.pb may omit the schema
// version (proto3 drops a zero), but must still hold a meta graph with a graph_def.
bool looks_like_saved_model(Bytes bytes, std::string_view file_name);
bool looks_like_keras_metadata(Bytes bytes);

// Why a SavedModel-shaped protobuf failed to parse, found by walking its top-level fields:
// a field that runs past the end ("truncated ...") or a broken field header. Empty when the
// top level is intact (the damage, or excessive nesting, is further in).
std::string describe_top_level_damage(Bytes bytes);

}  // namespace hubguard::scan
