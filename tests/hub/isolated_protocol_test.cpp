// The worker protocol on its own: frames cut from any split of the byte stream, requests
// that carry any file name unchanged, answers decoded strictly (the parent's side of a
// channel to a process that just parsed a hostile file), and the test-only fault switch.
#include <gtest/gtest.h>

#include <string>

#include "hubguard/hub/worker_protocol.hpp"
#include "hubguard/hub/worker_test_fault.hpp"
#include "hubguard/report/file_report_json.hpp"

namespace hubguard::hub {
namespace {

std::vector<std::string> read_all_frames(FrameReader& reader) {
  std::vector<std::string> frames;
  for (;;) {
    auto frame = reader.next();
    EXPECT_TRUE(frame.ok());
    if (!frame.ok() || !frame->has_value()) return frames;
    frames.push_back(**frame);
  }
}

TEST(WorkerFrames, FramesSurviveAnySplitOfTheStream) {
  std::string payload_a = "first";
  std::string payload_b(70'000, 'x');
  payload_b[5] = '\n';  // payloads may contain newlines: only the header is line-delimited
  std::string stream = encode_frame(payload_a) + encode_frame("") + encode_frame(payload_b);
  FrameReader reader(1 << 20);
  std::vector<std::string> frames;
  for (char c : stream) {  // one byte at a time: the worst split
    reader.append(std::string_view(&c, 1));
    for (auto& f : read_all_frames(reader)) frames.push_back(std::move(f));
  }
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0], payload_a);
  EXPECT_EQ(frames[1], "");
  EXPECT_EQ(frames[2], payload_b);
  EXPECT_FALSE(reader.mid_frame());
}

TEST(WorkerFrames, OversizedFrameIsAnErrorBeforeItsBytesArrive) {
  FrameReader reader(100);
  reader.append("101\n");
  auto frame = reader.next();
  ASSERT_FALSE(frame.ok());
  EXPECT_NE(frame.error().message.find("exceeds"), std::string::npos);
  reader.append("more");
  EXPECT_FALSE(reader.next().ok());  // stays in error: the stream cannot be resynchronised
}

TEST(WorkerFrames, MalformedHeadersAreErrors) {
  for (std::string bad : {std::string("12x\n"), std::string("\n"), std::string("-1\n"), std::string(30, '9')}) {
    FrameReader reader(1 << 20);
    reader.append(bad);
    EXPECT_FALSE(reader.next().ok()) << bad;
  }
}

TEST(WorkerRequests, AnyFileNameTravelsUnchanged) {
  WorkerRequest request{42, "dir/na\nme\xff\xfe.pkl", "models/o/n/na\nme\xff\xfe.pkl"};
  auto decoded = decode_request(encode_request(request));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->id, 42u);
  EXPECT_EQ(decoded->path, request.path);
  EXPECT_EQ(decoded->display_path, request.display_path);
}

TEST(WorkerRequests, MalformedRequestsAreErrors) {
  using namespace std::string_literals;
  for (std::string bad : {""s, "1"s, "1\0a"s, "x\0a\0b"s, "1\0\0b"s, "1\0a\0b\0c"s}) {
    EXPECT_FALSE(decode_request(bad).ok()) << bad;
  }
}

report::FileReport sample_report() {
  report::FileReport r;
  r.path = "models/o/n/model.pkl";
  r.format = "pickle";
  r.size = 123;
  r.findings.push_back(report::make_finding("pickle.dangerous-call", report::Severity::critical,
                                            report::Verdict::malicious, "execution",
                                            "calls os.system", 7, "os.system('id') \xff"));
  r.formats_seen = {"pickle"};
  r.programs.push_back({"", "os.system('id')"});
  r.finalize();
  return r;
}

TEST(WorkerAnswers, ReportRoundTrips) {
  auto original = sample_report();
  auto answer = decode_answer(encode_report_answer(9, original));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->id, 9u);
  ASSERT_TRUE(answer->report.has_value());
  EXPECT_TRUE(answer->failure.empty());
  EXPECT_EQ(answer->report->verdict, report::Verdict::malicious);
  EXPECT_EQ(answer->report->findings.size(), 1u);
  EXPECT_EQ(answer->report->programs.size(), 1u);
  EXPECT_EQ(answer->report->format, "pickle");
}

TEST(WorkerAnswers, FailureRoundTrips) {
  auto answer = decode_answer(encode_failure_answer(3, "memory"));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->id, 3u);
  EXPECT_FALSE(answer->report.has_value());
  EXPECT_EQ(answer->failure, "memory");
}

TEST(WorkerAnswers, MalformedAnswersAreErrorsNotExceptions) {
  std::string deep(100'000, '[');
  for (std::string bad : {std::string("not json"), std::string("[1,2]"), std::string("{}"),
                          std::string(R"({"id": -1, "failure": "memory"})"),
                          std::string(R"({"id": 1})"), std::string(R"({"id": 1, "failure": ""})"),
                          std::string(R"({"id": 1, "report": {"path": 5}})"), deep}) {
    EXPECT_FALSE(decode_answer(bad).ok()) << bad.substr(0, 40);
  }
}

TEST(WorkerAnswers, DepthCheckIgnoresBracketsInStrings) {
  EXPECT_TRUE(json_depth_within(R"({"a": "[[[[[[\"[[[["})", 2));
  EXPECT_FALSE(json_depth_within(R"({"a": [[{}]]})", 3));
  EXPECT_TRUE(json_depth_within(R"({"a": [[{}]]})", 4));
}

TEST(WorkerScanOptions, EveryFieldRoundTrips) {
  scan::ScanOptions options;
  options.limits.max_depth = 3;
  options.limits.max_members = 17;
  options.limits.max_compression_ratio = 12.5;
  options.limits.max_pickle_nodes = 99;
  options.limits.max_decode_depth = 2;
  options.keep_programs = true;
  options.hash_files = true;
  options.rules_dir = "/some/rules dir";
  auto decoded = scan_options_from_json(scan_options_to_json(options));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->limits.max_depth, 3u);
  EXPECT_EQ(decoded->limits.max_members, 17u);
  EXPECT_DOUBLE_EQ(decoded->limits.max_compression_ratio, 12.5);
  EXPECT_EQ(decoded->limits.max_pickle_nodes, 99u);
  EXPECT_EQ(decoded->limits.max_decode_depth, 2u);
  EXPECT_EQ(decoded->limits.max_pickle_ops, ScanLimits{}.max_pickle_ops);
  EXPECT_TRUE(decoded->keep_programs);
  EXPECT_TRUE(decoded->hash_files);
  EXPECT_EQ(decoded->rules_dir, "/some/rules dir");
}

TEST(WorkerScanOptions, WrongTypesAreErrors) {
  EXPECT_FALSE(scan_options_from_json(R"({"max_depth": "8"})").ok());
  EXPECT_FALSE(scan_options_from_json(R"({"max_depth": 99999999999})").ok());  // > unsigned
  EXPECT_FALSE(scan_options_from_json(R"({"keep_programs": 1})").ok());
  EXPECT_FALSE(scan_options_from_json("[]").ok());
  EXPECT_TRUE(scan_options_from_json("{}").ok());
}

TEST(WorkerTestFault, ParsesKindsAndSuffixesAndIgnoresUnknownKinds) {
  auto rules = parse_worker_faults("crash:.crash.pkl,bogus:.x,hang:/slow.bin,oom:");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(fault_for_path(rules, "a/b.crash.pkl"), WorkerFault::crash);
  EXPECT_EQ(fault_for_path(rules, "a/slow.bin"), WorkerFault::hang);
  EXPECT_EQ(fault_for_path(rules, "a/b.x"), WorkerFault::none);
  EXPECT_EQ(fault_for_path(rules, "a/b.pkl"), WorkerFault::none);
  EXPECT_TRUE(parse_worker_faults("").empty());
}

}  // namespace
}  // namespace hubguard::hub
