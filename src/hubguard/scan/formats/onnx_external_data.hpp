// Where an ONNX tensor's external data really lives. Loaders (onnx.load, onnxruntime) join a
// tensor's `location` to the model file's directory and read the bytes there, so a location
// that leaves that directory makes loading the model read any file the user can read (the
// bytes become a weight, and outputs can leak them). Two checks: the text alone (`..`
// climbing out, absolute paths, drive letters, UNC shares, `~`, NUL bytes), valid wherever
// the model came from; and, for a model scanned from disk, where the path resolves after
// following symbolic links (a harmless-looking `weights.bin` that links to /etc/shadow).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hubguard::scan::onnx {

// Why `location` escapes the model's directory by its text alone, or nullopt.
std::optional<std::string> location_escape(std::string_view location);

// For a model file on disk: when `location`, joined to the model's directory, exists and
// resolves (through symbolic links) outside that directory, the resolved path; else nullopt.
// Only link targets are read, never file contents.
std::optional<std::string> location_resolves_outside(const std::string& model_path,
                                                     std::string_view location);

}  // namespace hubguard::scan::onnx
