// The parent side of isolated scanning: a pool of worker processes supervised from the
// calling thread with poll(). One file at a time per worker, so a crash loses only the file
// the worker held; a wall-clock deadline per file; every way a worker can end (answer, crash,
// limit, deadline, malformed answer) turns into exactly one report for the file it held.
#include "hubguard/hub/isolated_scanner.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hubguard/hub/worker_process.hpp"
#include "hubguard/hub/worker_protocol.hpp"

namespace hubguard::hub {
namespace {

using Clock = std::chrono::steady_clock;

// Enough of a worker's stderr to name a crash (a sanitizer report's first lines, a
// `terminate called after ...`), bounded because a broken worker may print without end.
constexpr std::size_t kMaxStderrKept = 2048;
// How long a worker that closed its channel (or was told to stop) may take to exit before it
// is killed: it has nothing left to do.
constexpr std::chrono::milliseconds kExitGrace{2000};

std::string memory_text(std::uint64_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.pop_back();
  return text;
}

struct Slot {
  WorkerProcess process;
  FrameReader reader{kMaxAnswerFrame};
  std::string outgoing;  // request bytes the socket has not taken yet
  std::string stderr_text;
  bool stderr_truncated = false;
  std::optional<std::size_t> job;
  std::uint64_t request_id = 0;
  Clock::time_point deadline{};
  std::string kill_reason;  // set when the parent killed the worker on purpose

  bool running() const { return process.pid > 0; }
};

class IsolatedScanner final : public FileScanner {
 public:
  IsolatedScanner(std::filesystem::path worker_exe, const scan::ScanOptions& options,
                  unsigned workers, const IsolationLimits& limits)
      : limits_(limits), slots_(std::max(1u, workers)) {
    command_ = {worker_exe.string(), "hub", "worker",
                "--cpu-seconds", std::to_string(limits.cpu_seconds),
                "--memory-bytes", std::to_string(limits.memory_bytes),
                "--scan-options", scan_options_to_json(options)};
  }

  ~IsolatedScanner() override {
    for (auto& slot : slots_) stop(slot);
  }

  IsolatedScanner(const IsolatedScanner&) = delete;
  IsolatedScanner& operator=(const IsolatedScanner&) = delete;

  void scan(std::span<const FileJob> jobs,
            const std::function<void(std::size_t, report::FileReport)>& on_done) override {
    std::lock_guard lock(mutex_);  // one batch at a time: the pool is shared state
    jobs_ = jobs;
    on_done_ = &on_done;
    next_ = 0;
    remaining_ = jobs.size();
    while (remaining_ > 0) {
      hand_out();
      if (remaining_ == 0) break;
      if (auto waited = wait_and_handle(); !waited) abandon(waited.error().message);
    }
    jobs_ = {};
    on_done_ = nullptr;
  }

 private:
  void complete(std::size_t index, report::FileReport report) {
    --remaining_;
    (*on_done_)(index, std::move(report));
  }

  report::FileReport failed_report(std::size_t index, std::string reason) const {
    report::FileReport report;
    report.path = jobs_[index].display_path;
    std::error_code ec;
    auto size = std::filesystem::file_size(jobs_[index].path, ec);
    if (!ec) report.size = size;
    report.error = std::move(reason);
    report.finalize();
    return report;
  }

  void hand_out() {
    for (auto& slot : slots_) {
      while (!slot.job && next_ < jobs_.size()) {
        std::size_t index = next_++;
        retire_if_gone(slot);
        if (!slot.running()) {
          auto started = spawn_worker(command_);
          if (!started) {
            complete(index, failed_report(index, "could not start a scan worker: " + started.error().message));
            continue;
          }
          slot.process = *started;
          slot.reader = FrameReader(kMaxAnswerFrame);
          slot.kill_reason.clear();
        }
        send_request(slot, index);
      }
    }
  }

  // A worker that died while idle (between scan() calls, or killed from outside) must not be
  // handed a file: that file would be reported as lost by a worker that never saw it.
  void retire_if_gone(Slot& slot) {
    if (!slot.running()) return;
    int status = 0;
    if (::waitpid(slot.process.pid, &status, WNOHANG) != slot.process.pid) return;
    slot.process.pid = -1;
    close_worker_descriptors(slot.process);
    slot.outgoing.clear();
  }

  void send_request(Slot& slot, std::size_t index) {
    slot.job = index;
    slot.request_id = ++last_request_id_;
    slot.deadline = Clock::now() + std::chrono::seconds(limits_.wall_seconds);
    slot.stderr_text.clear();
    slot.stderr_truncated = false;
    // Absolute, so the worker's working directory never matters.
    std::error_code ec;
    auto path = std::filesystem::absolute(jobs_[index].path, ec);
    WorkerRequest request{slot.request_id, (ec ? jobs_[index].path : path).string(), jobs_[index].display_path};
    slot.outgoing = encode_frame(encode_request(request));
    flush(slot);
  }

  // Sends what the socket takes now; the rest waits for POLLOUT.
  void flush(Slot& slot) {
    while (!slot.outgoing.empty()) {
      ssize_t n = ::send(slot.process.channel, slot.outgoing.data(), slot.outgoing.size(),
                         MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // full (POLLOUT later) or broken (POLLHUP/POLLERR later)
      slot.outgoing.erase(0, static_cast<std::size_t>(n));
    }
  }

  // poll() itself failed (out of kernel memory): the files in hand and those not handed out
  // yet still get their one report each, saying why.
  void abandon(const std::string& why) {
    for (auto& slot : slots_) {
      if (!slot.running() || !slot.job) continue;
      slot.kill_reason = "scan supervision failed: " + why;
      ::kill(slot.process.pid, SIGKILL);
      worker_ended(slot);
    }
    while (next_ < jobs_.size()) {
      std::size_t index = next_++;
      complete(index, failed_report(index, "scan supervision failed: " + why));
    }
  }

  // One poll() round over every running worker and the deadlines of the files they hold.
  Result<bool> wait_and_handle() {
    std::vector<pollfd> fds;
    std::vector<std::pair<Slot*, bool>> owners;  // slot, is-channel
    std::optional<Clock::time_point> earliest;
    for (auto& slot : slots_) {
      if (!slot.running()) continue;
      short events = POLLIN;
      if (!slot.outgoing.empty()) events |= POLLOUT;
      fds.push_back({slot.process.channel, events, 0});
      owners.emplace_back(&slot, true);
      if (slot.process.errors >= 0) {
        fds.push_back({slot.process.errors, POLLIN, 0});
        owners.emplace_back(&slot, false);
      }
      if (slot.job && (!earliest || slot.deadline < *earliest)) earliest = slot.deadline;
    }
    if (fds.empty()) return make_error("no worker to wait for");  // a bug: never spin
    int timeout = -1;
    if (earliest) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*earliest - Clock::now()).count();
      timeout = static_cast<int>(std::clamp<long long>(left, 0, 60'000));
    }
    int ready = ::poll(fds.data(), fds.size(), timeout);
    if (ready < 0 && errno != EINTR) return make_error(std::string("poll: ") + std::strerror(errno));
    if (ready > 0) {
      // Stderr first, so that a worker's last words are kept before its death is reported.
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (!owners[i].second && fds[i].revents != 0 && owners[i].first->running()) drain_stderr(*owners[i].first);
      }
      for (std::size_t i = 0; i < fds.size(); ++i) {
        Slot& slot = *owners[i].first;
        if (!owners[i].second || fds[i].revents == 0 || !slot.running()) continue;
        if (fds[i].revents & POLLOUT) flush(slot);
        if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) read_answers(slot);
      }
    }
    auto now = Clock::now();
    for (auto& slot : slots_) {
      if (slot.running() && slot.job && now >= slot.deadline) {
        slot.kill_reason = "timed out after " + std::to_string(limits_.wall_seconds) + " s";
        ::kill(slot.process.pid, SIGKILL);
        worker_ended(slot);
      }
    }
    return true;
  }

  void drain_stderr(Slot& slot) {
    std::array<char, 4096> buffer{};
    while (slot.process.errors >= 0) {
      ssize_t n = ::read(slot.process.errors, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return;  // EAGAIN: nothing more for now
      if (n == 0) {       // the worker closed its stderr (it is exiting)
        ::close(slot.process.errors);
        slot.process.errors = -1;
        return;
      }
      std::size_t room = kMaxStderrKept - std::min(kMaxStderrKept, slot.stderr_text.size());
      slot.stderr_text.append(buffer.data(), std::min(room, static_cast<std::size_t>(n)));
      if (static_cast<std::size_t>(n) > room) slot.stderr_truncated = true;
    }
  }

  void read_answers(Slot& slot) {
    std::array<char, 1 << 16> buffer{};
    for (;;) {
      ssize_t n = ::recv(slot.process.channel, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      if (n <= 0) {  // end of stream or a broken socket: the worker is gone
        worker_ended(slot);
        return;
      }
      slot.reader.append(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
      if (!take_frames(slot)) return;
    }
  }

  // False when the worker had to be stopped.
  bool take_frames(Slot& slot) {
    for (;;) {
      auto frame = slot.reader.next();
      if (!frame) return protocol_failure(slot, frame.error().message);
      if (!frame->has_value()) return true;
      auto answer = decode_answer(**frame);
      if (!answer) return protocol_failure(slot, answer.error().message);
      if (!slot.job || answer->id != slot.request_id)
        return protocol_failure(slot, "an answer to a request it was not given");
      std::size_t index = *slot.job;
      slot.job.reset();
      if (answer->report) {
        auto report = std::move(*answer->report);
        report.path = jobs_[index].display_path;  // ours, whatever the worker wrote
        complete(index, std::move(report));
        continue;
      }
      // The worker ran out of memory outside any reader and is exiting.
      std::string reason = answer->failure == "memory"
                               ? memory_reason()
                               : "scan worker failed: " + answer->failure;
      complete(index, failed_report(index, std::move(reason)));
      stop(slot);
      return false;
    }
  }

  bool protocol_failure(Slot& slot, const std::string& what) {
    slot.kill_reason = "scan worker sent a malformed answer (" + what + ")";
    ::kill(slot.process.pid, SIGKILL);
    worker_ended(slot);
    return false;
  }

  // The worker exited, was killed, or closed its channel: reap it, and give the file it held
  // (if any) a report saying why.
  void worker_ended(Slot& slot) {
    int status = reap_worker(slot.process, kExitGrace);
    drain_stderr(slot);  // after the exit everything it wrote is in the pipe
    close_worker_descriptors(slot.process);
    slot.outgoing.clear();
    if (slot.job) {
      std::size_t index = *slot.job;
      slot.job.reset();
      complete(index, failed_report(index, describe_end(slot, status)));
    }
    slot.kill_reason.clear();
  }

  std::string memory_reason() const {
    if (limits_.memory_bytes == 0) return "scan worker ran out of memory";
    return "exceeded memory limit " + memory_text(limits_.memory_bytes);
  }

  std::string describe_end(const Slot& slot, int status) const {
    std::string reason;
    bool out_of_memory = slot.stderr_text.find("bad_alloc") != std::string::npos;
    if (!slot.kill_reason.empty()) {
      reason = slot.kill_reason;
    } else if (WIFSIGNALED(status)) {
      int sig = WTERMSIG(status);
      if (sig == SIGXCPU) reason = "exceeded CPU limit " + std::to_string(limits_.cpu_seconds) + " s";
      else if (out_of_memory) reason = memory_reason();
      else if (sig == SIGKILL) reason = "scan worker was killed by SIGKILL (out of memory?)";
      else if (sig == SIGXFSZ) reason = "scan worker tried to write a file (SIGXFSZ)";
      else reason = "scan worker crashed with " + signal_name(sig);
    } else if (WIFEXITED(status)) {
      if (out_of_memory) reason = memory_reason();
      else reason = "scan worker exited with status " + std::to_string(WEXITSTATUS(status)) + " before answering";
    } else {
      reason = "scan worker ended before answering";
    }
    std::string said = trimmed(slot.stderr_text);
    if (!said.empty()) reason += "; worker stderr: " + said + (slot.stderr_truncated ? " [...]" : "");
    return reason;
  }

  // Ends a worker: closing its channel is its end of input, so it exits on its own.
  void stop(Slot& slot) {
    if (!slot.running()) {
      close_worker_descriptors(slot.process);
      return;
    }
    if (slot.job) ::kill(slot.process.pid, SIGKILL);  // abandoned mid-file (on_done threw)
    ::shutdown(slot.process.channel, SHUT_RDWR);
    reap_worker(slot.process, kExitGrace);
    close_worker_descriptors(slot.process);
    slot.job.reset();
    slot.outgoing.clear();
  }

  std::mutex mutex_;
  IsolationLimits limits_;
  std::vector<std::string> command_;
  std::vector<Slot> slots_;
  std::span<const FileJob> jobs_;
  const std::function<void(std::size_t, report::FileReport)>* on_done_ = nullptr;
  std::size_t next_ = 0;
  std::size_t remaining_ = 0;
  std::uint64_t last_request_id_ = 0;
};

}  // namespace

std::unique_ptr<FileScanner> make_isolated_scanner(const std::filesystem::path& worker_exe,
                                                   const scan::ScanOptions& options,
                                                   unsigned workers, const IsolationLimits& limits) {
  return std::make_unique<IsolatedScanner>(worker_exe, options, workers, limits);
}

}  // namespace hubguard::hub
