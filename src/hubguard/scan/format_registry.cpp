#include "hubguard/scan/format_registry.hpp"

#include <array>

#include "hubguard/scan/formats/formats.hpp"

namespace hubguard::scan {

// Each format's handler instance, defined in its own file under formats/.
// Order matters: see format_registry.hpp. Handlers with strong magic bytes come first;
// formats that are pickles underneath (pytorch-legacy) come before the pickle handler;
// handlers whose signature is weak (lzma-alone has no magic, zlib has two header bytes)
// come after it, so a pickle is never claimed by them.
std::span<const FormatHandler* const> format_handlers() {
  static const std::array kHandlers{
      &zip_handler(),             // "PK\3\4": zip, pytorch-zip, torchscript, numpy-npz
      &numpy_handler(),           // "\x93NUMPY"
      &safetensors_handler(),     // plausible 8-byte header length, then '{'
      &gguf_handler(),            // "GGUF"
      &keras_h5_handler(),        // HDF5 signature at 0 or after a user block (512, 1024 ...)
      &torch_legacy_handler(),    // a pickle of the legacy magic number, then more pickles
      &joblib_zfile_handler(),    // "ZF0x...": joblib < 0.10
      &tar_handler(),             // ustar magic / v7 checksum
      &sevenzip_handler(),        // "7z\xBC\xAF\x27\x1C"
      &other_archive_handler(),   // rar, cpio, ar, cab, xar, iso9660
      &gzip_handler(),
      &bzip2_handler(),
      &xz_handler(),
      &zstd_handler(),            // its magic starts with '(' (MARK): must precede pickle
      &lz4_handler(),
      &saved_model_handler(),     // no magic: SavedModel{version, meta graph with a graph_def}
      &keras_metadata_handler(),  // no magic: SavedMetadata nodes carrying JSON
      &onnx_handler(),            // no magic: a protobuf ModelProto (starts 0x08, never a pickle)
      &catalogued_formats_handler(),  // magic bytes of formats we name but do not take apart
      &pickle_handler(),          // PROTO header, or a validated protocol 0/1 opcode run
      &lzma_handler(),            // lzma-alone: header plausibility plus a trial decode
      &zlib_handler(),            // 0x78 header plus a trial decode
      &keras_config_handler(),    // JSON object with class_name + config at the top
      &torchscript_code_handler(),  // TorchScript's serialized code (a Python subset)
      &python_source_handler(),   // text with Python-only statements (after pickle: protocol 0 is text)
  };
  return std::span<const FormatHandler* const>(kHandlers.data(), kHandlers.size());
}

const FormatHandler* detect_format(const Artifact& artifact) {
  for (const FormatHandler* handler : format_handlers())
    if (handler->accepts(artifact)) return handler;
  return nullptr;
}

}  // namespace hubguard::scan
