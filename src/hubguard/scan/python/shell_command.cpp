#include "hubguard/scan/python/shell_command.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "hubguard/scan/python/sources_sinks.hpp"

namespace hubguard::scan::python {
namespace {

std::string lower(std::string_view s) {
  std::string out(s.substr(0, 8192));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has(const std::string& hay, std::string_view needle) {
  return hay.find(needle) != std::string::npos;
}

// Words of a command line, split on blanks and shell separators (no quoting rules: this is
// for recognising programs, not for running anything).
std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  auto is_sep = [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == ';' || c == '|' || c == '&' ||
           c == '(' || c == ')' || c == '`' || c == '"' || c == '\'';
  };
  while (i < s.size() && out.size() < 256) {
    while (i < s.size() && is_sep(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !is_sep(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// Programs at the start of each pipeline stage (after ; | && || and `$(`).
std::vector<std::string> command_programs(const std::string& s) {
  std::vector<std::string> out;
  bool at_start = true;
  std::size_t i = 0;
  while (i < s.size() && out.size() < 64) {
    char c = s[i];
    if (c == ';' || c == '|' || c == '&' || c == '(' || c == '`' || c == '\n') {
      at_start = true;
      ++i;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) && s[j] != ';' &&
           s[j] != '|' && s[j] != '&' && s[j] != ')' && s[j] != '`' && s[j] != '"' && s[j] != '\'')
      ++j;
    if (j == i) {  // a lone ')' and the like
      ++i;
      continue;
    }
    std::string_view w(s.data() + i, j - i);
    if (at_start && w != "sudo" && w != "nohup" && w != "exec" && w != "env" &&
        w.find('=') == std::string_view::npos) {
      out.emplace_back(program_basename(w));
      at_start = false;
    }
    i = j;
  }
  return out;
}

bool in(std::string_view w, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), w) != set.end();
}

}  // namespace

std::string_view program_basename(std::string_view program) {
  auto slash = program.find_last_of("/\\");
  if (slash != std::string_view::npos) program = program.substr(slash + 1);
  if (program.size() > 4) {
    auto ext = program.substr(program.size() - 4);
    if (ext == ".exe" || ext == ".EXE") program = program.substr(0, program.size() - 4);
  }
  return program;
}

bool is_shell_program(std::string_view program) {
  auto p = program_basename(program);
  return in(p, {"sh", "bash", "zsh", "dash", "ksh", "csh", "tcsh", "fish", "ash", "busybox", "cmd",
                "powershell", "pwsh"});
}

bool is_interpreter_program(std::string_view program) {
  if (is_shell_program(program)) return true;
  auto p = program_basename(program);
  if (p.substr(0, 6) == "python" || p.substr(0, 4) == "perl" || p.substr(0, 4) == "ruby" ||
      p.substr(0, 3) == "php")
    return true;
  return in(p, {"node", "nodejs", "deno", "lua", "osascript", "wscript", "cscript", "mshta",
                "rundll32", "regsvr32", "java", "source", "."});
}

ShellVerdict classify_shell_command(std::string_view command) {
  const std::string s = lower(command);
  const auto programs = command_programs(s);
  auto uses = [&](std::initializer_list<std::string_view> names) {
    for (const auto& p : programs)
      if (in(p, names)) return true;
    return false;
  };
  const auto ws = words(s);
  auto word = [&](std::string_view w) { return std::find(ws.begin(), ws.end(), w) != ws.end(); };

  // Reverse shells.
  if (has(s, "/dev/tcp/") || has(s, "/dev/udp/"))
    return {ShellClass::reverse_shell, "/dev/tcp redirection"};
  if (uses({"nc", "ncat", "netcat", "nc.traditional", "nc.openbsd"}) &&
      (word("-e") || word("-c") || has(s, "mkfifo") || has(s, "/bin/sh") || has(s, "/bin/bash")))
    return {ShellClass::reverse_shell, "netcat running a shell"};
  if (uses({"socat"}) && (has(s, "exec:") || has(s, "system:")))
    return {ShellClass::reverse_shell, "socat running a shell"};
  if (uses({"bash", "sh"}) && word("-i") && (has(s, ">&") || has(s, "0>&1")))
    return {ShellClass::reverse_shell, "interactive shell with redirected descriptors"};

  // Mining.
  if (auto m = mining_marker(s); !m.empty()) return {ShellClass::crypto_mining, std::string(m)};
  if (uses({"xmrig", "minerd", "cpuminer", "ccminer", "nbminer", "lolminer", "ethminer",
            "phoenixminer", "xmr-stak"}) ||
      has(s, "--donate-level"))
    return {ShellClass::crypto_mining, "cryptocurrency miner"};

  const bool fetches = uses({"curl", "wget", "fetch", "tftp", "aria2c"}) ||
                       has(s, "downloadstring") || has(s, "downloadfile") ||
                       has(s, "invoke-webrequest") || has(s, "iwr ") || has(s, "urlcache");

  // Credential theft: a credential path and something that ships it out.
  if (auto label = sensitive_path_label(s); !label.empty()) {
    if (fetches || uses({"nc", "ncat", "scp", "rsync", "ftp", "sftp", "mail", "sendmail"}))
      return {ShellClass::credential_theft, std::string(label) + " sent over the network"};
  }

  // Download and run.
  if (fetches) {
    bool runs = false;
    for (std::size_t i = 1; i < programs.size(); ++i)
      if (is_interpreter_program(programs[i]) || programs[i] == "chmod") runs = true;
    if (has(s, "| sh") || has(s, "|sh") || has(s, "| bash") || has(s, "|bash") ||
        has(s, "| python") || has(s, "iex") || has(s, "invoke-expression") || has(s, "chmod +x") ||
        has(s, "chmod 7") || has(s, "chmod 5") || has(s, "certutil"))
      runs = true;
    if (runs) return {ShellClass::downloader, "downloads and runs a program"};
  }

  // Persistence.
  if (uses({"crontab"}) || has(s, "/etc/cron") || has(s, "/var/spool/cron"))
    return {ShellClass::persistence, "cron job"};
  if (uses({"systemctl"}) && (word("enable") || word("--now")))
    return {ShellClass::persistence, "systemd service enabled"};
  if (uses({"schtasks"}) && has(s, "/create")) return {ShellClass::persistence, "scheduled task"};
  if (uses({"reg"}) && has(s, "currentversion\\run")) return {ShellClass::persistence, "Run key"};
  if (has(s, ">>") || has(s, "tee -a")) {
    if (auto label = persistence_path_label(s); !label.empty())
      return {ShellClass::persistence, std::string(label) + " modified"};
  }

  // Destruction.
  if (uses({"rm"}) && (has(s, "-rf") || has(s, "-fr") || has(s, "-r "))) {
    for (std::size_t i = 0; i < ws.size(); ++i) {
      if (ws[i] == "rm") {
        for (std::size_t j = i + 1; j < ws.size() && j < i + 8; ++j) {
          if (!ws[j].empty() && ws[j][0] == '-') continue;
          if (is_broad_path(ws[j]))
            return {ShellClass::destructive, "recursive delete of a broad path"};
        }
      }
    }
  }
  if (uses({"mkfs", "mkfs.ext4", "shred", "wipefs"}) || (uses({"dd"}) && has(s, "of=/dev/")))
    return {ShellClass::destructive, "disk wipe"};
  if (uses({"format"}) && has(s, "c:")) return {ShellClass::destructive, "disk format"};
  if (uses({"del", "rd", "rmdir"}) && has(s, "/s") && (has(s, "c:\\") || has(s, "%userprofile%")))
    return {ShellClass::destructive, "recursive delete of a broad path"};

  if (programs.empty()) return {};
  const std::string& first = programs.front();

  if (in(first, {"whoami", "id", "hostname", "uname", "ifconfig", "ipconfig", "ip", "env",
                 "printenv", "systeminfo", "net", "netstat", "ps", "w", "who", "last",
                 "lsb_release", "nproc", "arp"}) ||
      (first == "cat" && has(s, "/etc/")))
    return {ShellClass::reconnaissance, "host reconnaissance command"};

  if (is_shell_program(first)) {
    if (!word("-c") && !word("/c") && !word("-command") && ws.size() <= 3)
      return {ShellClass::interactive_shell, "interactive shell"};
    return {ShellClass::interpreter, "shell running a command"};
  }
  if (is_interpreter_program(first)) return {ShellClass::interpreter, "interpreter running code"};
  if (in(first, {"curl", "wget", "git", "aria2c", "gsutil", "aws", "azcopy", "rclone",
                 "huggingface-cli", "kaggle"}))
    return {ShellClass::network_fetch, "downloads data"};
  bool all_data_tools = true;
  for (const auto& p : programs)
    if (!in(p, {"tar",   "unzip",   "gunzip",   "gzip",      "bunzip2", "bzip2", "xz",   "unxz",
                "7z",    "7za",     "7zr",      "unrar",     "zcat",    "cat",   "ls",   "mkdir",
                "mv",    "cp",      "rm",       "wc",        "head",    "tail",  "sort", "uniq",
                "split", "cut",     "grep",     "sed",       "awk",     "find",  "echo", "ffmpeg",
                "sox",   "convert", "md5sum",   "sha256sum", "touch",   "cd",    "zstd", "unzstd",
                "lz4",   "pigz",    "dos2unix", "iconv",     "file",    "du",    "df",   "true"}))
      all_data_tools = false;
  if (all_data_tools) return {ShellClass::data_tool, "data tool " + first};
  return {ShellClass::unknown, "command " + first};
}

}  // namespace hubguard::scan::python
