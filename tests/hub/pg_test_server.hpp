// A private PostgreSQL server for one test process: initdb into a temporary folder with
// Debian's /usr/lib/postgresql/<version>/bin, then `postgres` on a free loopback port, as the
// `postgres` user when the tests run as root (PostgreSQL refuses to run as root). The server
// is the test's child with PDEATHSIG, so it dies with the test even on a crash. When
// HUBGUARD_TEST_PG names a server, that one is used instead (each test keys its queue by its
// own temporary root, so tests sharing a server do not meet). Without PostgreSQL the tests
// skip, or fail when CI=true (CI must run them).
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../support/server_process.hpp"

namespace hubguard::testing {

class PgTestServer {
 public:
  // Empty `url()` after start() means the caller must skip (reason in `skip_reason()`);
  // a non-empty `error()` means the server could not be started and the test must fail.
  void start() {
    if (const char* env = std::getenv("HUBGUARD_TEST_PG"); env && *env) {
      url_ = env;
      return;
    }
    const std::string bin = find_bin_dir();
    if (bin.empty()) {
      skip_reason_ = "PostgreSQL is not installed (scripts/setup --test installs it)";
      return;
    }
    // As root the server runs as postgres, which must reach the folder: /tmp, not a TMPDIR
    // that may be private to root.
    const std::filesystem::path base = ::geteuid() == 0 ? "/tmp" : std::filesystem::temp_directory_path();
    dir_ = base / ("hubguard_pg_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (pw == nullptr) {
        error_ = "running as root and there is no 'postgres' user to run the server as";
        return;
      }
      uid_ = pw->pw_uid;
      gid_ = pw->pw_gid;
      if (::chown(dir_.c_str(), uid_, gid_) != 0) {
        error_ = "cannot chown " + dir_.string();
        return;
      }
    }
    const std::string data = (dir_ / "data").string(), log = (dir_ / "log").string();
    int rc = run_and_wait({bin + "/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                           "--no-locale", "--no-sync"},
                          log);
    if (rc != 0) {
      error_ = "initdb failed:\n" + slurp(log);
      return;
    }
    port_ = free_port();
    if (port_ == 0) {
      error_ = "no free loopback port";
      return;
    }
    pid_ = spawn({bin + "/postgres", "-D", data, "-k", dir_.string(), "-h", "127.0.0.1", "-p",
                  std::to_string(port_), "-c", "fsync=off", "-c", "synchronous_commit=off",
                  "-c", "full_page_writes=off", "-c", "max_connections=60"},
                 (dir_ / "server.log").string());
    url_ = "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (PQping(url_.c_str()) != PQPING_OK) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        error_ = "postgres exited at start:\n" + slurp(dir_ / "server.log");
        url_.clear();
        return;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        error_ = "postgres did not answer within 30 s:\n" + slurp(dir_ / "server.log");
        url_.clear();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  void stop(bool keep_files) {
    if (pid_ > 0) {
      stop_server_process(pid_, SIGINT, std::chrono::milliseconds(50));  // fast shutdown
      pid_ = -1;
    }
    if (!dir_.empty() && !keep_files) std::filesystem::remove_all(dir_);
  }

  ~PgTestServer() { stop(true); }

  const std::string& url() const { return url_; }
  const std::string& error() const { return error_; }
  const std::string& skip_reason() const { return skip_reason_; }

  static int free_port() {
    const auto ports = free_loopback_ports(1);
    return ports.empty() ? 0 : ports.front();
  }

 private:
  static std::string find_bin_dir() {
    const std::filesystem::path base = "/usr/lib/postgresql";
    std::error_code ec;
    std::string best;
    for (const auto& e : std::filesystem::directory_iterator(base, ec)) {
      auto bin = e.path() / "bin";
      if (::access((bin / "initdb").c_str(), X_OK) == 0 && ::access((bin / "postgres").c_str(), X_OK) == 0)
        if (best.empty() || e.path().filename().string() > std::filesystem::path(best).parent_path().filename().string())
          best = bin.string();
    }
    return best;
  }

  static std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // Child: drop to the server's user (when root), die with the test, send output to `log`.
  pid_t spawn(const std::vector<std::string>& argv, const std::string& log) {
    const pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid != 0) return pid;
    if (uid_ != 0 && (::setgid(gid_) != 0 || ::setuid(uid_) != 0)) ::_exit(126);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // after setuid, which clears it
    if (::getppid() != parent) ::_exit(127);
    // The test's folder may be one the postgres user cannot enter (a build tree under /root).
    if (::chdir(dir_.c_str()) != 0) ::_exit(125);
    if (std::FILE* f = std::freopen(log.c_str(), "w", stdout)) ::dup2(::fileno(f), 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }

  int run_and_wait(const std::vector<std::string>& argv, const std::string& log) {
    pid_t pid = spawn(argv, log);
    if (pid < 0) return -1;
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::filesystem::path dir_;
  std::string url_, error_, skip_reason_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  pid_t pid_ = -1;
  int port_ = 0;
};

// In a fixture's SetUp(): start `server`, or skip the test (fail it when CI=true).
#define HUBGUARD_START_PG_OR_SKIP(server)                                                          \
  do {                                                                                             \
    (server).start();                                                                              \
    if (!(server).error().empty()) FAIL() << (server).error();                                     \
    if ((server).url().empty()) {                                                                  \
      const char* ci_ = std::getenv("CI");                                                         \
      if (ci_ && std::string(ci_) == "true")                                                       \
        FAIL() << (server).skip_reason() << ", and CI=true requires the PostgreSQL tests";         \
      GTEST_SKIP() << (server).skip_reason();                                                      \
    }                                                                                              \
  } while (0)

}  // namespace hubguard::testing
