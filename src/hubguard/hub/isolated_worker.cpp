// The worker side of isolated scanning (run_worker, declared in isolated_scanner.hpp): a
// plain loop of read request, scan, write answer. All supervision lives in the parent; the
// worker only answers what it can and, when its own heap runs out outside a reader, says so
// and exits so that the parent starts a clean process.
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <exception>
#include <new>
#include <string>

#include "hubguard/hub/isolated_scanner.hpp"
#include "hubguard/hub/worker_limits.hpp"
#include "hubguard/hub/worker_protocol.hpp"
#include "hubguard/hub/worker_test_fault.hpp"
#include "hubguard/scan/engine.hpp"

namespace hubguard::hub {
namespace {

// Exit codes the parent may see in a status; it reports them with the worker's stderr.
constexpr int kWorkerEnd = 0;
constexpr int kWorkerBrokenChannel = 1;
constexpr int kWorkerBadRequest = 2;
constexpr int kWorkerOutOfMemory = 3;
constexpr int kWorkerFailed = 4;

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

int fail(int code, const std::string& why) {
  std::fprintf(stderr, "hubguard worker: %s\n", why.c_str());
  return code;
}

}  // namespace

int run_worker(int in_fd, int out_fd, const scan::ScanOptions& options, unsigned cpu_seconds_per_file) {
  // A parent that went away shows up as EPIPE on the next answer, not as a signal.
  std::signal(SIGPIPE, SIG_IGN);
  const auto faults = worker_faults_from_environment();
  FrameReader reader(kMaxRequestFrame);
  std::array<char, 1 << 16> buffer{};
  for (;;) {
    auto frame = reader.next();
    if (!frame) return fail(kWorkerBadRequest, frame.error().message);
    if (!frame->has_value()) {
      ssize_t n = ::read(in_fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail(kWorkerBrokenChannel, "cannot read requests");
      if (n == 0) return reader.mid_frame() ? fail(kWorkerBadRequest, "request cut short") : kWorkerEnd;
      reader.append(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
      continue;
    }
    auto request = decode_request(**frame);
    if (!request) return fail(kWorkerBadRequest, request.error().message);
    if (auto limited = limit_cpu_for_next_file(cpu_seconds_per_file); !limited)
      return fail(kWorkerFailed, limited.error().message);
    std::string answer;
    try {
      if (auto fault = fault_for_path(faults, request->path); fault != WorkerFault::none)
        trigger_worker_fault(fault, out_fd);
      auto report = scan::scan_file(request->path, options);
      report.path = request->display_path;
      answer = encode_frame(encode_report_answer(request->id, report));
    } catch (const std::bad_alloc&) {
      // Unwinding has freed what the scan held, so this small answer fits; then exit, because
      // a fresh process is cheaper to trust than a heap that just ran dry.
      answer = encode_frame(encode_failure_answer(request->id, "memory"));
      write_all(out_fd, answer);
      return fail(kWorkerOutOfMemory, "out of memory scanning " + request->display_path);
    } catch (const std::exception& e) {
      return fail(kWorkerFailed, std::string("scanning failed: ") + e.what());
    }
    if (!write_all(out_fd, answer)) return kWorkerBrokenChannel;
  }
}

}  // namespace hubguard::hub
