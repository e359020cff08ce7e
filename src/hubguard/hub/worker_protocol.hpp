// The messages between an isolated hub scan and its worker processes (`hubguard hub worker`).
// Both directions are frames: the payload's length in ASCII decimal, a newline, then the
// payload. A request names one file (its id, the path to open and the path to report, joined
// by NUL bytes, so any file name travels unchanged); an answer is JSON: the id and either the
// FileReport (the report/file_report_json shape) or a failure the worker noticed itself (it
// ran out of memory outside a reader). The parent decodes answers as untrusted input: the
// worker has just parsed a hostile file, so a frame is bounded in size and nesting, and
// anything malformed is an Error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hubguard/core/result.hpp"
#include "hubguard/report/file_report.hpp"
#include "hubguard/scan/scan_context.hpp"

namespace hubguard::hub {

// A request is small (two paths); an answer carries findings, evidence excerpts and recovered
// programs, which the engine bounds, so 256 MiB is far beyond any honest answer.
inline constexpr std::size_t kMaxRequestFrame = 1 << 20;
inline constexpr std::size_t kMaxAnswerFrame = 256u << 20;
inline constexpr unsigned kMaxAnswerDepth = 64;

std::string encode_frame(std::string_view payload);

// Collects bytes as they arrive and cuts them into frames. Once it reports an error it stays
// in error: the stream cannot be resynchronised.
class FrameReader {
 public:
  explicit FrameReader(std::size_t max_frame) : max_frame_(max_frame) {}

  void append(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete frame, nullopt when more bytes are needed, or an Error.
  Result<std::optional<std::string>> next();
  bool mid_frame() const { return !buffer_.empty(); }
  void clear() { buffer_.clear(); }

 private:
  std::size_t max_frame_;
  std::string buffer_;
  std::optional<std::string> error_;
};

struct WorkerRequest {
  std::uint64_t id = 0;
  std::string path;          // the file to open
  std::string display_path;  // the path its report carries
};

std::string encode_request(const WorkerRequest& request);
Result<WorkerRequest> decode_request(std::string_view payload);

// What the worker answers for one request.
struct WorkerAnswer {
  std::uint64_t id = 0;
  std::optional<report::FileReport> report;
  std::string failure;  // "memory" when the worker itself ran out of memory; empty with a report
};

std::string encode_report_answer(std::uint64_t id, const report::FileReport& report);
std::string encode_failure_answer(std::uint64_t id, std::string_view failure);
Result<WorkerAnswer> decode_answer(std::string_view payload);

// The scan options a worker runs with, passed on its command line (--scan-options JSON).
std::string scan_options_to_json(const scan::ScanOptions& options);
Result<scan::ScanOptions> scan_options_from_json(std::string_view text);

// True when `text` nests arrays/objects no deeper than `max_depth` (nlohmann's parser
// recurses, so depth is checked before parsing anything a worker sent).
bool json_depth_within(std::string_view text, unsigned max_depth);

}  // namespace hubguard::hub
