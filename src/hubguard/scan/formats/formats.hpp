// Accessors for every format handler, one per file under scan/formats/. Each returns a
// process-wide stateless instance; format_registry.cpp lists them in detection order.
// Adding a format: define its handler in a new file here and add one line below plus one
// line in format_registry.cpp.
#pragma once

#include "hubguard/scan/format_handler.hpp"

namespace hubguard::scan {

// Containers and compressed streams (zip_handler.cpp, archive_handler.cpp,
// compressed_stream_handlers.cpp, joblib_handler.cpp).
const FormatHandler& zip_handler();            // "zip" refined to pytorch-zip/torchscript/numpy-npz
const FormatHandler& tar_handler();            // "tar" (ustar, gnu, pax, v7)
const FormatHandler& sevenzip_handler();       // "7z"
const FormatHandler& other_archive_handler();  // "rar", "cpio", "ar", "cab", "xar", "iso9660"
const FormatHandler& gzip_handler();           // "gzip"
const FormatHandler& bzip2_handler();          // "bzip2"
const FormatHandler& xz_handler();             // "xz"
const FormatHandler& lzma_handler();           // "lzma" (lzma-alone, as Python's lzma writes)
const FormatHandler& zstd_handler();           // "zstd"
const FormatHandler& lz4_handler();            // "lz4" (frame format)
const FormatHandler& zlib_handler();           // "zlib" (joblib's default compressor)
const FormatHandler& joblib_zfile_handler();   // "joblib-zfile" (joblib < 0.10 'ZF' header)

// Model formats built on the above (torch_legacy_handler.cpp, numpy_handler.cpp).
const FormatHandler& torch_legacy_handler();   // "pytorch-legacy"
const FormatHandler& numpy_handler();          // "numpy"
const FormatHandler& pickle_handler();         // "pickle", refined to joblib/dill/cloudpickle

// Source code (python_source_handler.cpp): recognised by content, analysed as code evidence.
const FormatHandler& python_source_handler();  // "python"
// TorchScript's code/ files (torchscript_code_handler.cpp): host-touching builtins and
// operators from native libraries, plus the Python analysis. Must precede "python".
const FormatHandler& torchscript_code_handler();  // "torchscript-code"

// Model formats without code (safetensors_handler.cpp, gguf_handler.cpp): validated
// structurally; metadata that carries code or URLs is reported.
const FormatHandler& safetensors_handler();    // "safetensors"
const FormatHandler& gguf_handler();           // "gguf" (chat templates analysed as Jinja)
// Formats recognised but not taken apart (catalogued_formats.cpp): named, `clean` when they
// carry no code by design, else reported as not analysed.
const FormatHandler& catalogued_formats_handler();  // "tflite", "parquet", "r-serialized", ...
// ONNX (onnx_handler.cpp): a protobuf ModelProto walked without reading its weights.
const FormatHandler& onnx_handler();           // "onnx"
// TensorFlow SavedModel (saved_model_handler.cpp, keras_metadata_handler.cpp): protobuf
// files parsed with our own subset (proto/tf_saved_model.proto); graph ops judged node by node.
const FormatHandler& saved_model_handler();    // "tf-savedmodel" (saved_model.pb)
const FormatHandler& keras_metadata_handler(); // "keras-metadata" (keras_metadata.pb)
// Keras H5 (keras_h5_handler.cpp): HDF5 files; Keras' model_config/training_config walked.
const FormatHandler& keras_h5_handler();       // "hdf5", refined to "keras-h5"
// Keras (keras_config_handler.cpp): config.json of a .keras archive ("keras-v3" zip).
const FormatHandler& keras_config_handler();   // "keras-config"

}  // namespace hubguard::scan
