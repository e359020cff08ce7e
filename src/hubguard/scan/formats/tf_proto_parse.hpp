// Parsing one of the SavedModel protobuf messages (tf_saved_model.proto) from bytes under
// hostile-input bounds: nesting depth (AttrValue lists of functions with attributes of
// lists ... recurse) and total size. Failures come back as a reason a person can read:
// truncation found by walking the top-level fields, or excessive nesting.
#pragma once

#include <google/protobuf/message_lite.h>

#include <string>

#include "hubguard/core/bytes.hpp"

namespace hubguard::scan {

// Nested messages deeper than this make the file unscannable. TensorFlow's own graphs nest
// about 10 deep (SavedModel > MetaGraphDef > GraphDef > FunctionDefLibrary > FunctionDef >
// NodeDef > AttrValue > ListValue > NameAttrList > AttrValue ...).
inline constexpr int kMaxTfProtoNesting = 64;

// Empty on success, else why the bytes are not a valid `message`.
std::string parse_tf_proto(google::protobuf::MessageLite& message, Bytes bytes);

}  // namespace hubguard::scan
