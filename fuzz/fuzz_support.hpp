// Shared pieces of the libFuzzer targets: scan limits small enough that one input stays
// within libFuzzer's memory and time budgets (the readers must honour them whatever the
// input claims), and a ScanContext that records what a handler reports without recursing.
// The context reads every byte of every child artifact it is given, so a handler that hands
// out a view past the end of its input is caught by AddressSanitizer right there, not only
// when (and if) some later reader happens to touch those bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hubguard/scan/format_handler.hpp"
#include "hubguard/scan/format_registry.hpp"

namespace hubguard::fuzz {

// Default limits scaled down: enough room for every reader to do its work, small enough that
// an input which honestly hits a limit costs well under libFuzzer's 2 GB RSS ceiling.
inline ScanLimits fuzz_limits() {
  ScanLimits l;
  l.max_members = 2'000;
  l.max_member_size = 64ULL << 20;
  l.max_total_decompressed = 128ULL << 20;
  l.max_scanned_member_size = 32ULL << 20;
  l.max_pickle_ops = 1'000'000;
  l.max_pickle_memo = 100'000;
  l.max_pickle_stack = 100'000;
  l.max_pickle_string = 16ULL << 20;
  l.max_pickle_calls_recorded = 10'000;
  l.max_pickle_nodes = 1ULL << 20;
  l.max_pickles_per_stream = 256;
  l.max_source_size = 1ULL << 20;
  return l;
}

inline scan::ScanOptions fuzz_options() {
  scan::ScanOptions o;
  o.limits = fuzz_limits();
  o.keep_programs = true;  // exercise the program printer too
  return o;
}

// Sums bytes so the compiler cannot drop the reads (and ASan checks each one).
inline std::uint64_t touch(Bytes bytes) {
  std::uint64_t sum = 0;
  for (std::uint8_t b : bytes) sum += b;
  return sum;
}
inline std::uint64_t touch(std::string_view text) { return touch(as_bytes(text)); }

class RecordingContext final : public scan::ScanContext {
 public:
  RecordingContext() : options_(fuzz_options()) {}

  const scan::ScanOptions& options() const override { return options_; }
  void set_format(std::string format) override { checksum_ += touch(format); }
  void add_finding(report::Finding finding) override {
    checksum_ += touch(finding.rule) + touch(finding.message);
    ++findings_;
  }
  void add_code(scan::CodeEvidence code) override { code_.push_back(std::move(code)); }
  void add_child(scan::Artifact child) override {
    checksum_ += touch(child.bytes) + touch(child.member_path());
    ++children_;
  }
  void add_program(std::string text) override { checksum_ += touch(text); }
  void unscannable(std::string reason) override { checksum_ += touch(reason); }
  bool charge_decompressed(std::uint64_t bytes) override {
    decompressed_ += bytes;
    return decompressed_ <= options_.limits.max_total_decompressed;
  }

  const std::vector<scan::CodeEvidence>& code() const { return code_; }
  std::uint64_t checksum() const { return checksum_; }

 private:
  scan::ScanOptions options_;
  std::vector<scan::CodeEvidence> code_;
  std::uint64_t checksum_ = 0;
  std::uint64_t decompressed_ = 0;
  std::size_t findings_ = 0;
  std::size_t children_ = 0;
};

// Runs one handler over `data` as the root artifact when it accepts it (the engine only ever
// calls scan() after accepts()).
// `name` matters only to handlers that read a file name as a hint (never to decide safety).
inline std::uint64_t run_handler(const scan::FormatHandler& handler, const std::uint8_t* data,
                                 std::size_t size, std::string name = "fuzz.bin") {
  scan::Artifact root;
  root.bytes = Bytes(data, size);
  root.name = std::move(name);
  RecordingContext ctx;
  if (!handler.accepts(root)) return 0;
  handler.scan(root, ctx);
  return ctx.checksum() + ctx.code().size();
}

// Keeps results alive so the optimiser cannot remove the work that produced them.
inline void keep(std::uint64_t value) {
  static volatile std::uint64_t sink;
  sink = sink + value;
}

}  // namespace hubguard::fuzz
