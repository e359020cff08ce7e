// What the tests that start a real server (PostgreSQL for the hub queue, ClickHouse for the
// stars engine) share: free loopback ports to give it, and stopping it with a signal, then
// SIGKILL if it has not gone within a deadline, without leaving a zombie.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

namespace hubguard::testing {

// `count` distinct free loopback TCP ports (bound together so they differ, then released for
// the server); empty when the system refuses.
inline std::vector<int> free_loopback_ports(int count) {
  std::vector<int> fds, ports;
  for (int i = 0; i < count; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      if (fd >= 0) ::close(fd);
      for (int open : fds) ::close(open);
      return {};
    }
    fds.push_back(fd);
    ports.push_back(ntohs(a.sin_port));
  }
  for (int fd : fds) ::close(fd);
  return ports;
}

// Sends `signal` to the child `pid`, waits up to 20 s for it to exit (polling every `poll`),
// then kills it; always reaps it.
inline void stop_server_process(pid_t pid, int signal, std::chrono::milliseconds poll) {
  if (pid <= 0) return;
  ::kill(pid, signal);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return;
    }
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace hubguard::testing
