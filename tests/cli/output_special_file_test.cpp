// `-o PATH` replaces a regular file atomically (write a temporary, rename it over), but must
// write a FIFO or device in place: renaming over `-o /dev/null` as root once turned the
// machine's /dev/null into a regular file. A FIFO stands in for the device here.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include <filesystem>
#include <thread>

#include "run_command.hpp"

namespace hubguard::testing {
namespace {

namespace fs = std::filesystem;

TEST(OutputOption, AFifoIsWrittenInPlaceNotReplaced) {
  const fs::path dir = fresh_dir("hubguard_output_fifo");
  const fs::path fifo = dir / "out.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Non-blocking, so that a regression (the FIFO renamed away, no writer ever comes) ends at
  // the deadline instead of hanging the test.
  const int fd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(fd, 0);
  std::string got;
  std::thread reader([&] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    char buf[65536];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) got.append(buf, static_cast<std::size_t>(n));
      else if (n == 0 && (p.revents & POLLHUP)) break;  // the writer came and closed
    }
    ::close(fd);
  });
  const fs::path sample = fs::path(HUBGUARD_SOURCE_DIR) / "samples";
  auto r = run_hubguard("scan " + shell_quote(sample.string()) + " -f json -o " + shell_quote(fifo.string()) + " 2>&1");
  reader.join();
  EXPECT_NE(r.exit_code, 2) << r.out;
  EXPECT_TRUE(fs::is_fifo(fifo)) << "the FIFO was replaced by a regular file";
  EXPECT_NE(got.find("\"files\""), std::string::npos) << got.substr(0, 200);
  EXPECT_FALSE(fs::exists(dir / "out.fifo.tmp"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hubguard::testing
