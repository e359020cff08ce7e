#include "hubguard/scan/policy/code_heuristics.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "hubguard/scan/policy/classify.hpp"

namespace hubguard::scan::policy {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

// "import x" / "from x import y" as statements, not the word inside prose like "important".
bool has_import_statement(std::string_view s) {
  for (std::size_t pos = s.find("import "); pos != std::string_view::npos;
       pos = s.find("import ", pos + 1)) {
    bool boundary = pos == 0 || s[pos - 1] == ' ' || s[pos - 1] == ';' || s[pos - 1] == '\n' ||
                    s[pos - 1] == '\t';
    std::size_t next = pos + 7;
    if (boundary && next < s.size() && (std::isalpha(static_cast<unsigned char>(s[next])) || s[next] == '_'))
      return true;
  }
  return false;
}

constexpr std::array<std::string_view, 24> kCodeMarkers = {
    "__import__", "exec(", "eval(", "compile(", "os.system", "os.popen", "subprocess.",
    "getattr(", "__builtins__", "__globals__", "__class__", "__subclasses__", "b64decode(",
    "marshal.loads", "pickle.loads", "socket.socket", ".system(", ".popen(", "lambda:",
    "lambda ", "def ", "urlopen(", "requests.get(", "pty.spawn"};

constexpr std::array<std::string_view, 52> kCommands = {
    "sh",     "bash",    "zsh",    "dash",   "ksh",     "csh",   "fish",   "cmd",  "cmd.exe",
    "powershell", "pwsh", "python", "python3", "perl",  "ruby",  "php",    "node", "nc",
    "ncat",   "netcat",  "socat",  "telnet", "curl",    "wget",  "scp",    "ssh",  "rm",
    "chmod",  "chown",   "mkfifo", "nohup",  "sudo",    "echo",  "cat",    "id",   "whoami",
    "uname",  "hostname", "ls",    "touch",  "mkdir",   "cp",    "mv",     "dd",   "kill",
    "pkill",  "crontab", "base64", "openssl", "xterm",  "awk",   "tee"};

bool is_command(std::string_view word) {
  auto slash = word.rfind('/');
  if (slash != std::string_view::npos) word = word.substr(slash + 1);
  return std::find(kCommands.begin(), kCommands.end(), word) != kCommands.end();
}

bool is_shell_meta(char c) { return c == ';' || c == '|' || c == '&' || c == '`' || c == '$' || c == '(' || c == ')' || c == '>' || c == '<'; }

bool looks_like_shell(std::string_view s) {
  if (contains(s, "/bin/sh") || contains(s, "/bin/bash") || contains(s, "/dev/tcp/")) return true;
  // Split into words at whitespace and shell metacharacters; a command word starts a command
  // when it is the first word or follows a metacharacter, and it needs an argument or an
  // operator after it (a lone "id" is too common a string to mean anything).
  bool command_position = true;
  bool saw_meta = false;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (is_shell_meta(c)) {
      command_position = true;
      saw_meta = true;
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) && !is_shell_meta(s[i])) ++i;
    std::string_view word = s.substr(start, i - start);
    if (command_position && is_command(word)) {
      bool more = i < s.size();
      if (more || saw_meta) return true;
    }
    if (word == "curl" || word == "wget") return true;
    command_position = false;
  }
  return false;
}

bool looks_like_base64_blob(std::string_view s) {
  std::size_t best = 0, run = 0;
  bool upper = false, lower_c = false, digit = false;
  for (char c : s) {
    bool b64 = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
    if (b64) {
      ++run;
      upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
      lower_c |= std::islower(static_cast<unsigned char>(c)) != 0;
      digit |= std::isdigit(static_cast<unsigned char>(c)) != 0;
      best = std::max(best, run);
    } else {
      run = 0;
    }
  }
  return best >= 60 && best * 10 >= s.size() * 9 && upper && lower_c && digit;
}

}  // namespace

bool looks_like_code_or_command(std::string_view text) {
  if (text.size() < 3) return false;
  for (auto m : kCodeMarkers)
    if (contains(text, m)) return true;
  if (has_import_statement(text)) return true;
  if (looks_like_shell(text)) return true;
  return looks_like_base64_blob(text);
}

std::optional<KnownBad> known_bad_behaviour(std::string_view text) {
  const std::string s = lower(text);
  auto has = [&](std::string_view n) { return contains(s, n); };
  if (has("/dev/tcp/") || has("/dev/udp/"))
    return KnownBad{kReverseShell, "reverse shell over /dev/tcp"};
  if ((has("nc ") || has("ncat ") || has("netcat ")) && (has(" -e ") || has(" -c ") || has("mkfifo")))
    return KnownBad{kReverseShell, "netcat reverse shell"};
  if (has("socket") && has("connect") && (has("dup2") || has("pty.spawn") || has("subprocess")))
    return KnownBad{kReverseShell, "Python reverse shell"};
  if (has("socat") && has("exec:")) return KnownBad{kReverseShell, "socat reverse shell"};
  if (has("tcpclient") && (has("powershell") || has("getstream")))
    return KnownBad{kReverseShell, "PowerShell reverse shell"};
  if ((has("curl") || has("wget")) &&
      (has("| sh") || has("|sh") || has("| bash") || has("|bash") || has("| python") ||
       has("|python") || has("chmod +x") || has("chmod 777")))
    return KnownBad{kDownloader, "download and run"};
  if ((has("downloadstring(") || has("invoke-webrequest") || has("iwr ")) &&
      (has("iex") || has("invoke-expression")))
    return KnownBad{kDownloader, "PowerShell download and run"};
  if (has("rm -rf /") || has("rm -rf ~") || has("rm -rf *") || has("mkfs") ||
      has("dd if=/dev/zero of=/dev/") || has(":(){ :|:& };:"))
    return KnownBad{kDestructive, "wipes files or disks"};
  if ((has("/etc/shadow") || has(".ssh/id_") || has(".aws/credentials") || has("/etc/passwd")) &&
      (has("curl") || has("wget") || has("nc ") || has("http://") || has("https://")))
    return KnownBad{kReconnaissance, "exfiltrates credentials"};
  return std::nullopt;
}

}  // namespace hubguard::scan::policy
