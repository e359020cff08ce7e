#include "hubguard/hub/worker_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace hubguard::hub {
namespace {

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::string errno_text(const char* what, int err) { return std::string(what) + ": " + std::strerror(err); }

// Owns the posix_spawn attribute objects so every exit path destroys them.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attributes{};
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

Result<WorkerProcess> spawn_worker(const std::vector<std::string>& argv) {
  if (argv.empty()) return make_error("no worker command");
  int channel[2] = {-1, -1};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) != 0)
    return make_error(errno_text("socketpair", errno));
  int errors[2] = {-1, -1};
  if (::pipe2(errors, O_CLOEXEC) != 0) {
    int err = errno;
    close_fd(channel[0]);
    close_fd(channel[1]);
    return make_error(errno_text("pipe2", err));
  }

  SpawnSetup setup;
  // dup2 clears close-on-exec on the copies; the originals close at exec.
  posix_spawn_file_actions_adddup2(&setup.actions, channel[1], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, channel[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, errors[1], STDERR_FILENO);
  sigset_t none;
  sigemptyset(&none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigmask(&setup.attributes, &none);
  posix_spawnattr_setsigdefault(&setup.attributes, &all);
  posix_spawnattr_setflags(&setup.attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, argv[0].c_str(), &setup.actions, &setup.attributes, args.data(), environ);
  close_fd(channel[1]);
  close_fd(errors[1]);
  if (rc != 0) {
    close_fd(channel[0]);
    close_fd(errors[0]);
    return make_error(errno_text(("cannot start worker " + argv[0]).c_str(), rc));
  }
  ::fcntl(channel[0], F_SETFL, ::fcntl(channel[0], F_GETFL) | O_NONBLOCK);
  ::fcntl(errors[0], F_SETFL, ::fcntl(errors[0], F_GETFL) | O_NONBLOCK);
  return WorkerProcess{pid, channel[0], errors[0]};
}

int reap_worker(WorkerProcess& worker, std::chrono::milliseconds grace) {
  if (worker.pid <= 0) return 0;
  int status = 0;
  auto give_up = std::chrono::steady_clock::now() + grace;
  for (;;) {
    pid_t r = ::waitpid(worker.pid, &status, WNOHANG);
    if (r == worker.pid) break;
    if (r < 0 && errno != EINTR) {  // not our child any more (cannot happen): nothing to reap
      status = 0;
      break;
    }
    if (std::chrono::steady_clock::now() >= give_up) {
      ::kill(worker.pid, SIGKILL);
      while (::waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  worker.pid = -1;
  return status;
}

void close_worker_descriptors(WorkerProcess& worker) {
  close_fd(worker.channel);
  close_fd(worker.errors);
}

std::string signal_name(int signal) {
  if (const char* abbrev = ::sigabbrev_np(signal)) return std::string("SIG") + abbrev;
  return "signal " + std::to_string(signal);
}

}  // namespace hubguard::hub
