#include "hubguard/scan/formats/tf_proto_parse.hpp"

#include <google/protobuf/io/coded_stream.h>

#include <climits>
#include <memory>

#include "hubguard/scan/formats/saved_model_sniff.hpp"

namespace hubguard::scan {
namespace {

// Only used to tell "too deep" from "broken" after a failure; deep enough for any real
// graph, shallow enough for a worker thread's stack.
constexpr int kDiagnosticNesting = 512;

bool parse_with_depth(google::protobuf::MessageLite& message, Bytes bytes, int depth) {
  google::protobuf::io::CodedInputStream in(bytes.data(), static_cast<int>(bytes.size()));
  in.SetRecursionLimit(depth);
  in.SetTotalBytesLimit(static_cast<int>(bytes.size()));
  return message.ParseFromCodedStream(&in) && in.ConsumedEntireMessage();
}

}  // namespace

std::string parse_tf_proto(google::protobuf::MessageLite& message, Bytes bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return "larger than protobuf's 2 GiB limit";
  if (parse_with_depth(message, bytes, kMaxTfProtoNesting)) return {};
  std::string damage = describe_top_level_damage(bytes);
  if (!damage.empty()) return damage;
  std::unique_ptr<google::protobuf::MessageLite> probe(message.New());
  if (parse_with_depth(*probe, bytes, kDiagnosticNesting))
    return "messages nested deeper than " + std::to_string(kMaxTfProtoNesting) + " levels";
  return "malformed protobuf inside a top-level field (bad field, length or nesting deeper than " +
         std::to_string(kDiagnosticNesting) + ")";
}

}  // namespace hubguard::scan
