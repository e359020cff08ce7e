// The HTTP client against a scripted loopback server that answers like ClickHouse does when a
// statement fails: a non-200 status with the exception text, or a 200 whose body ends with the
// exception line after rows already went out. Both must be errors carrying the message.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <string>
#include <thread>

#include "hubguard/stars/clickhouse_http.hpp"
#include "stars_test_support.hpp"

namespace hubguard::stars {
namespace {

// Accepts one connection, reads the request, sends `response`, closes.
class OneShotServer {
 public:
  explicit OneShotServer(std::string response) : response_(std::move(response)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 1) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      return;
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string req;
      char buf[4096];
      // Headers, then the body of the length announced (the client sends Content-Length).
      // Read it all before answering: closing with unread bytes would reset the connection.
      std::size_t need = std::string::npos;
      while (need == std::string::npos || req.size() < need) {
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        req.append(buf, static_cast<std::size_t>(n));
        const std::size_t end = req.find("\r\n\r\n");
        if (need == std::string::npos && end != std::string::npos) {
          std::string head = req.substr(0, end);
          for (char& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          const std::size_t cl = head.find("content-length:");
          need = end + 4 + (cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 15)));
        }
      }
      ::send(c, response_.data(), response_.size(), MSG_NOSIGNAL);
      ::shutdown(c, SHUT_RDWR);
      ::close(c);
    });
  }
  ~OneShotServer() {
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::string response_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

std::string http(const std::string& status, const std::string& body) {
  return "HTTP/1.1 " + status + "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

TEST(ClickHouseHttp, AnswersAndErrors) {
  {
    OneShotServer s(http("200 OK", "\"actor\"\n\"a\"\n"));
    auto r = clickhouse_query_text(ClickHouseServer{s.url()}, "SELECT 1");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(*r, "\"actor\"\n\"a\"\n");
  }
  {
    OneShotServer s(http("500 Internal Server Error", "Code: 47, e.displayText() = DB::Exception: Unknown identifier: x\n"));
    auto r = clickhouse_query_text(ClickHouseServer{s.url()}, "SELECT x");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("answered HTTP 500: Code: 47"), std::string::npos) << r.error().message;
  }
  {
    testing::TempDir dir;
    OneShotServer s(http("200 OK", "\"n\"\n1\n2\nCode: 241, e.displayText() = DB::Exception: Memory limit exceeded\n"));
    auto r = clickhouse_query_to_file(ClickHouseServer{s.url()}, "SELECT n", dir.path() / "out.csv");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("mid-answer: Code: 241"), std::string::npos) << r.error().message;
  }
  {
    OneShotServer s(http("200 OK", std::string(5000, 'x')));
    auto r = clickhouse_query_text(ClickHouseServer{s.url()}, "SELECT 1", 1000);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("larger than 1000"), std::string::npos) << r.error().message;
  }
  EXPECT_FALSE(clickhouse_query_text(ClickHouseServer{"ftp://127.0.0.1/"}, "SELECT 1").ok());
  {
    // Credentials in the URL never reach an error message.
    OneShotServer s(http("401 Unauthorized", "Code: 193, wrong password\n"));
    std::string url = s.url();
    url.insert(7, "me:secret1@");
    auto r = clickhouse_query_text(ClickHouseServer{url + "/?password=secret2"}, "SELECT 1");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.find("secret"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("HTTP 401"), std::string::npos) << r.error().message;
  }
}

}  // namespace
}  // namespace hubguard::stars
