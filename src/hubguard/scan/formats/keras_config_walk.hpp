// Judges a Keras model configuration (the JSON of a `.keras` archive's config.json, or a
// Keras H5 file's `model_config` attribute) without building the model. Keras turns this
// JSON back into objects by importing each `module` and looking up `class_name` /
// `registered_name` in it, so the config is a list of callables that loading will reach.
// The walk covers every object at any depth (Sequential, Functional, nested models,
// TimeDistributed/Bidirectional wrappers all nest layers as plain JSON) and reports:
//   - Lambda layers: base64 marshalled bytecode (Keras 3 `__lambda__`, Keras 2 `function`
//     lists) is decoded and handed to the code analyzers as bytecode evidence; function
//     references (`function_type: function`) are judged as callables;
//   - objects whose module/class names a callable outside Keras' own serialisable classes
//     (`os.system`, `builtins.eval`) or a Keras utility that touches files or the network
//     (`keras.utils.get_file`): the class of the 2025 safe_mode bypasses;
//   - configs that switch unsafe deserialisation on (`safe_mode: false`,
//     `enable_unsafe_deserialization`).
// Plain Keras layers produce no findings.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "hubguard/scan/scan_context.hpp"

namespace hubguard::scan {

// True when `root` looks like a serialised Keras object: a JSON object with a string
// `class_name` and a `config` member at the top.
bool is_keras_config(const nlohmann::json& root);

// Walks the config and reports through `ctx`. `offset` locates the JSON in the artifact.
void scan_keras_config(const nlohmann::json& root, std::uint64_t offset, ScanContext& ctx);

}  // namespace hubguard::scan
