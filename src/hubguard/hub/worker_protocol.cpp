#include "hubguard/hub/worker_protocol.hpp"

#include <charconv>
#include <limits>
#include <type_traits>

#include "hubguard/report/file_report_json.hpp"

namespace hubguard::hub {
namespace {

using nlohmann::json;

// Twenty digits hold any 64-bit length; a longer header is garbage.
constexpr std::size_t kMaxHeaderDigits = 20;

// Answers carry excerpts of hostile files, which need not be UTF-8: replace, never throw.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::optional<json> parse_bounded(std::string_view text, unsigned max_depth) {
  if (!json_depth_within(text, max_depth)) return std::nullopt;
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

bool read_id(const json& j, std::uint64_t& id) {
  auto it = j.find("id");
  if (it == j.end() || !it->is_number_unsigned()) return false;
  id = it->get<std::uint64_t>();
  return true;
}

// Every ScanOptions field with its JSON name, so encoding and decoding cannot drift apart.
template <class Visit>
void visit_options(scan::ScanOptions& o, Visit&& visit) {
  auto& l = o.limits;
  visit("max_depth", l.max_depth);
  visit("max_members", l.max_members);
  visit("max_member_size", l.max_member_size);
  visit("max_total_decompressed", l.max_total_decompressed);
  visit("max_compression_ratio", l.max_compression_ratio);
  visit("max_scanned_member_size", l.max_scanned_member_size);
  visit("max_pickle_ops", l.max_pickle_ops);
  visit("max_pickle_memo", l.max_pickle_memo);
  visit("max_pickle_stack", l.max_pickle_stack);
  visit("max_pickle_string", l.max_pickle_string);
  visit("max_pickle_calls_recorded", l.max_pickle_calls_recorded);
  visit("max_pickle_nodes", l.max_pickle_nodes);
  visit("max_pickles_per_stream", l.max_pickles_per_stream);
  visit("max_source_size", l.max_source_size);
  visit("max_decode_depth", l.max_decode_depth);
  visit("keep_programs", o.keep_programs);
  visit("hash_files", o.hash_files);
  visit("rules_dir", o.rules_dir);
}

}  // namespace

std::string encode_frame(std::string_view payload) {
  std::string out = std::to_string(payload.size());
  out.push_back('\n');
  out.append(payload);
  return out;
}

Result<std::optional<std::string>> FrameReader::next() {
  if (error_) return make_error(*error_);
  auto newline = buffer_.find('\n');
  if (newline == std::string::npos) {
    if (buffer_.size() > kMaxHeaderDigits) {
      error_ = "malformed frame header";
      return make_error(*error_);
    }
    return std::optional<std::string>{};
  }
  std::uint64_t length = 0;
  const char* first = buffer_.data();
  const char* last = buffer_.data() + newline;
  auto [end, ec] = std::from_chars(first, last, length);
  if (newline == 0 || newline > kMaxHeaderDigits || ec != std::errc{} || end != last) {
    error_ = "malformed frame header";
    return make_error(*error_);
  }
  if (length > max_frame_) {
    error_ = "frame of " + std::to_string(length) + " bytes exceeds the limit of " +
             std::to_string(max_frame_);
    return make_error(*error_);
  }
  if (buffer_.size() - newline - 1 < length) return std::optional<std::string>{};
  std::string payload = buffer_.substr(newline + 1, length);
  buffer_.erase(0, newline + 1 + length);
  return std::optional<std::string>{std::move(payload)};
}

std::string encode_request(const WorkerRequest& request) {
  std::string out = std::to_string(request.id);
  out.push_back('\0');
  out += request.path;
  out.push_back('\0');
  out += request.display_path;
  return out;
}

Result<WorkerRequest> decode_request(std::string_view payload) {
  auto first = payload.find('\0');
  auto second = first == std::string_view::npos ? first : payload.find('\0', first + 1);
  if (second == std::string_view::npos || payload.find('\0', second + 1) != std::string_view::npos)
    return make_error("malformed request: expected id, path and display path");
  WorkerRequest request;
  auto id = payload.substr(0, first);
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), request.id);
  if (id.empty() || ec != std::errc{} || end != id.data() + id.size())
    return make_error("malformed request id");
  request.path = std::string(payload.substr(first + 1, second - first - 1));
  request.display_path = std::string(payload.substr(second + 1));
  if (request.path.empty()) return make_error("malformed request: empty path");
  return request;
}

std::string encode_report_answer(std::uint64_t id, const report::FileReport& report) {
  json j;
  j["id"] = id;
  j["report"] = report::file_report_to_json(report);
  return dump(j);
}

std::string encode_failure_answer(std::uint64_t id, std::string_view failure) {
  json j;
  j["id"] = id;
  j["failure"] = std::string(failure);
  return dump(j);
}

Result<WorkerAnswer> decode_answer(std::string_view payload) {
  auto j = parse_bounded(payload, kMaxAnswerDepth);
  if (!j || !j->is_object()) return make_error("answer is not a JSON object");
  WorkerAnswer answer;
  if (!read_id(*j, answer.id)) return make_error("answer has no id");
  if (auto f = j->find("failure"); f != j->end()) {
    if (!f->is_string()) return make_error("answer's failure is not a string");
    answer.failure = f->get<std::string>();
    if (answer.failure.empty()) return make_error("answer's failure is empty");
    return answer;
  }
  auto r = j->find("report");
  if (r == j->end()) return make_error("answer has neither report nor failure");
  auto decoded = report::file_report_from_json(*r);
  if (!decoded) return make_error("answer's report: " + decoded.error().message);
  answer.report = std::move(decoded).value();
  return answer;
}

std::string scan_options_to_json(const scan::ScanOptions& options) {
  json j = json::object();
  scan::ScanOptions copy = options;
  visit_options(copy, [&](const char* name, const auto& field) { j[name] = field; });
  return dump(j);
}

Result<scan::ScanOptions> scan_options_from_json(std::string_view text) {
  auto j = parse_bounded(text, 4);
  if (!j || !j->is_object()) return make_error("scan options are not a JSON object");
  scan::ScanOptions options;
  std::string why;
  visit_options(options, [&](const char* name, auto& field) {
    using T = std::decay_t<decltype(field)>;
    auto it = j->find(name);
    if (it == j->end() || !why.empty()) return;  // absent: keep the default
    bool fits = false;
    if constexpr (std::is_same_v<T, bool>) {
      fits = it->is_boolean();
    } else if constexpr (std::is_same_v<T, std::string>) {
      fits = it->is_string();
    } else if constexpr (std::is_floating_point_v<T>) {
      fits = it->is_number();
    } else {
      fits = it->is_number_unsigned() && it->template get<std::uint64_t>() <= std::numeric_limits<T>::max();
    }
    if (!fits) {
      why = std::string("scan option '") + name + "' has the wrong type";
      return;
    }
    field = it->template get<T>();
  });
  if (!why.empty()) return make_error(why);
  return options;
}

bool json_depth_within(std::string_view text, unsigned max_depth) {
  unsigned depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;  // skip the escaped character (it may be a quote)
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

}  // namespace hubguard::hub
