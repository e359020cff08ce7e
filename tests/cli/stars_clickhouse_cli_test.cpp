// The "past one machine" path for real: starts Debian's clickhouse-server on loopback with
// private folders and a private config, loads the synthetic archive into a github_events-shaped
// table (`stars clickhouse-load`), and checks that `stars detect --clickhouse URL` writes the
// same files, byte for byte, as `stars detect` on the same hour files — whole archive and a
// window. Without clickhouse-server the test skips, or fails when CI=true (CI must run it).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "../support/server_process.hpp"
#include "run_command.hpp"

namespace hubguard::testing {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

std::string find_clickhouse_server() {
  for (const char* p : {"/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"})
    if (::access(p, X_OK) == 0) return p;
  return {};
}

// True when GET / on 127.0.0.1:port answers "Ok." (ClickHouse's HTTP ping).
bool http_ping(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    const std::string req = "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
      std::string got;
      char buf[512];
      ssize_t n;
      while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) got.append(buf, static_cast<std::size_t>(n));
      ok = got.find("Ok.") != std::string::npos;
    }
  }
  ::close(fd);
  return ok;
}

class ClickHousePath : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string server = find_clickhouse_server();
    if (server.empty()) {
      const char* ci = std::getenv("CI");
      if (ci && std::string(ci) == "true")
        FAIL() << "clickhouse-server is not installed, and CI=true requires this test: run `scripts/setup --test`";
      GTEST_SKIP() << "clickhouse-server is not installed (scripts/setup --test installs it)";
    }
    dir_ = fs::temp_directory_path() / ("hubguard_clickhouse_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "server");
    const auto ports = free_loopback_ports(2);
    ASSERT_EQ(ports.size(), 2u) << "no free loopback port";
    http_port_ = ports[0];
    const std::string s = (dir_ / "server").string();
    // A private config (not /etc's), so the server writes nothing outside `s`.
    spit(dir_ / "server" / "users.xml",
         "<yandex><profiles><default></default></profiles>"
         "<users><default><password></password><networks><ip>127.0.0.1</ip></networks>"
         "<profile>default</profile><quota>default</quota></default></users>"
         "<quotas><default></default></quotas></yandex>\n");
    spit(dir_ / "server" / "config.xml",
         "<yandex>\n"
         "  <logger><level>warning</level><log>" + s + "/log</log><errorlog>" + s + "/err</errorlog></logger>\n"
         "  <listen_host>127.0.0.1</listen_host>\n"
         "  <http_port>" + std::to_string(ports[0]) + "</http_port>\n"
         "  <tcp_port>" + std::to_string(ports[1]) + "</tcp_port>\n"
         "  <path>" + s + "/data/</path>\n  <tmp_path>" + s + "/tmp/</tmp_path>\n"
         "  <user_files_path>" + s + "/uf/</user_files_path>\n  <format_schema_path>" + s + "/fs/</format_schema_path>\n"
         "  <users_config>" + s + "/users.xml</users_config>\n"
         "  <default_profile>default</default_profile>\n  <default_database>default</default_database>\n"
         "  <mark_cache_size>67108864</mark_cache_size>\n"
         "</yandex>\n");
    const std::string config = "--config-file=" + s + "/config.xml";
    const std::string out = s + "/stdout";
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      // Never outlive the test, even if it crashes before TearDown.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      std::FILE* f = std::freopen(out.c_str(), "w", stdout);
      if (f) ::dup2(::fileno(stdout), 2);
      ::execl(server.c_str(), server.c_str(), config.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!http_ping(http_port_)) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        FAIL() << "clickhouse-server exited at start:\n" << slurp(out) << slurp(s + "/err");
      }
      if (std::chrono::steady_clock::now() > deadline)
        FAIL() << "clickhouse-server did not answer within 30 s:\n" << slurp(out) << slurp(s + "/err");
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    url_ = "http://127.0.0.1:" + std::to_string(http_port_);
  }

  void TearDown() override {
    if (pid_ > 0) {
      stop_server_process(pid_, SIGTERM, std::chrono::milliseconds(100));
      pid_ = -1;
    }
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
  }

  std::string q(const fs::path& p) const { return shell_quote(p.string()); }

  fs::path dir_;
  pid_t pid_ = -1;
  int http_port_ = 0;
  std::string url_;
};

const char* kOutputs[] = {"fake_stars.csv", "suspected_false_positives.csv", "campaigns.csv",
                          "reference_campaigns.csv",  "clusters.json", "summary.json"};

TEST_F(ClickHousePath, SameOutputAsTheLocalPath) {
  // Six weeks of the synthetic archive at scale 0.3: campaigns of both signatures, organic
  // accounts, launch weeks (an organisation), ~1000 hour files.
  const fs::path synth = dir_ / "synth", archive = synth / "archive";
  auto gen = run_hubguard("stars generate --out " + q(synth) + " --seed 4 --scale 0.3 --days 42 2>&1");
  ASSERT_EQ(gen.exit_code, 0) << gen.out;

  auto load = run_hubguard("stars clickhouse-load " + q(archive) + " --clickhouse " + url_ + " --create-table 2>&1");
  ASSERT_EQ(load.exit_code, 0) << load.out;
  EXPECT_NE(load.out.find(" rows in "), std::string::npos) << load.out;

  struct Case {
    std::string name, window;
  };
  for (const Case& c : {Case{"all", ""}, Case{"window", " --from 2023-01-10 --to 2023-02-01T12:00:00Z"}}) {
    SCOPED_TRACE(c.name);
    const fs::path local = dir_ / ("local_" + c.name), ch = dir_ / ("ch_" + c.name);
    auto l = run_hubguard("stars detect " + q(archive) + " --out " + q(local) + " --extend-clusters" + c.window + " 2>&1");
    ASSERT_NE(l.exit_code, 2) << l.out;
    auto r = run_hubguard("stars detect --clickhouse " + url_ + " --out " + q(ch) + " --extend-clusters" + c.window +
                          " --keep-extract " + q(dir_ / ("extract_" + c.name)) + " 2>&1");
    ASSERT_NE(r.exit_code, 2) << r.out;
    EXPECT_EQ(l.exit_code, r.exit_code) << l.out << "\n" << r.out;
    for (const char* f : kOutputs) EXPECT_EQ(slurp(local / f), slurp(ch / f)) << f;
    // Real content, not two empty files: the archive's planted campaigns are found.
    const std::string fake = slurp(ch / "fake_stars.csv");
    EXPECT_GT(std::count(fake.begin(), fake.end(), '\n'), 100) << r.out;
    EXPECT_TRUE(fs::exists(dir_ / ("extract_" + c.name) / "stars.csv"));
  }
}

TEST_F(ClickHousePath, ServerErrorsAreClearErrors) {
  // A table the server does not have: ClickHouse's own message, exit 2.
  auto missing = run_hubguard("stars detect --clickhouse " + url_ + " --clickhouse-table no_such_table --out " +
                              q(dir_ / "o1") + " 2>&1");
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
  EXPECT_NE(missing.out.find("no_such_table"), std::string::npos) << missing.out;
  EXPECT_NE(missing.out.find("ClickHouse at http://127.0.0.1"), std::string::npos) << missing.out;

  // A table without github_events' columns.
  auto create = run_hubguard("stars clickhouse-load --print-ddl --table x 2>&1");  // sanity: DDL prints
  EXPECT_EQ(create.exit_code, 0);
  EXPECT_NE(create.out.find("CREATE TABLE IF NOT EXISTS x"), std::string::npos);
  auto wrong = run_hubguard("stars detect --clickhouse " + url_ + " --clickhouse-table system.one --out " +
                            q(dir_ / "o2") + " 2>&1");
  EXPECT_EQ(wrong.exit_code, 2) << wrong.out;
  EXPECT_NE(wrong.out.find("has no column 'event_type'"), std::string::npos) << wrong.out;

  // Nobody listening: connection refused, exit 2.
  const auto closed = free_loopback_ports(1);
  ASSERT_EQ(closed.size(), 1u);
  auto refused = run_hubguard("stars detect --clickhouse http://127.0.0.1:" + std::to_string(closed[0]) + " --out " +
                              q(dir_ / "o3") + " 2>&1");
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_NE(refused.out.find("ClickHouse at http://127.0.0.1"), std::string::npos) << refused.out;

  auto scheme = run_hubguard("stars detect --clickhouse file:///etc/passwd --out " + q(dir_ / "o4") + " 2>&1");
  EXPECT_EQ(scheme.exit_code, 2) << scheme.out;
  EXPECT_NE(scheme.out.find("http://"), std::string::npos) << scheme.out;
}

}  // namespace
}  // namespace hubguard::testing
