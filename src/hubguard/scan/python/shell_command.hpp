// A small classifier for shell command lines seen as constants in Python code (the argument
// of os.system, a subprocess argv joined with spaces, the constant prefix of an f-string
// command). It names the behaviour a command line shows (reverse shell, download-and-run,
// persistence, destruction, mining, credential theft, reconnaissance) or says the program is
// an ordinary data tool (tar, unzip ...). It reads text only; nothing is run.
#pragma once

#include <string>
#include <string_view>

namespace hubguard::scan::python {

enum class ShellClass {
  unknown,            // a command; nothing recognised
  data_tool,          // tar/unzip/gzip/... on files: what dataset scripts do
  interactive_shell,  // a shell started without a command (sh -i, bash, /bin/sh)
  interpreter,        // python/bash/perl/... running a script or -c code
  reconnaissance,     // whoami, id, uname -a, hostname, ifconfig, env ...
  reverse_shell,      // /dev/tcp, nc -e, bash -i >&, socat exec:, mkfifo + nc
  downloader,         // curl|sh, wget && chmod +x, certutil -urlcache, iex(DownloadString)
  persistence,        // crontab, systemctl enable, >> ~/.bashrc, schtasks /create, reg add Run
  destructive,        // rm -rf / or ~, mkfs, dd of=/dev/sd*, format c:
  crypto_mining,      // xmrig, stratum+tcp, minerd
  credential_theft,   // a credential path sent with curl/nc/scp
  network_fetch,      // curl/wget/git clone alone: downloads data
};

struct ShellVerdict {
  ShellClass cls = ShellClass::unknown;
  std::string reason;  // what matched, for the finding's message
};

ShellVerdict classify_shell_command(std::string_view command);

// The program's base name ("/usr/bin/python3.11" -> "python3.11").
std::string_view program_basename(std::string_view program);
bool is_shell_program(std::string_view program);        // sh, bash, zsh, dash, cmd, powershell
bool is_interpreter_program(std::string_view program);  // shells plus python, perl, ruby, node ...

}  // namespace hubguard::scan::python
