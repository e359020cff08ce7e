#include "hubguard/scan/shell_analysis.hpp"

#include "hubguard/scan/decode/base_encodings.hpp"
#include "hubguard/scan/python/shell_command.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

struct ClassInfo {
  python::ShellClass cls;
  const char* category;
  const char* rule;
};

// The shell classes that are a recognised behaviour on their own; the others (a command, a
// data tool, an interpreter) are already judged by the caller's policy (os.system is
// dangerous whatever it runs).
constexpr ClassInfo kBehaviours[] = {
    {python::ShellClass::reverse_shell, "reverse-shell", "shell.reverse-shell"},
    {python::ShellClass::downloader, "downloader", "shell.downloader"},
    {python::ShellClass::persistence, "persistence", "shell.persistence"},
    {python::ShellClass::destructive, "destructive", "shell.destructive"},
    {python::ShellClass::crypto_mining, "crypto-mining", "shell.crypto-mining"},
    {python::ShellClass::credential_theft, "credential-theft", "shell.credential-theft"},
    {python::ShellClass::reconnaissance, "reconnaissance", "shell.reconnaissance"},
};

bool is_separator(const std::string& w) { return w == ";" || w == "|" || w == "&" || w == "\n"; }

std::string utf16le_to_ascii(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    const auto lo = static_cast<unsigned char>(bytes[i]);
    const auto hi = static_cast<unsigned char>(bytes[i + 1]);
    out.push_back(hi == 0 && lo < 0x80 ? static_cast<char>(lo) : '?');
  }
  return out;
}

}  // namespace

std::vector<std::string> shell_words(std::string_view s, std::size_t max_words) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  auto flush = [&] {
    if (in_word && words.size() < max_words) words.push_back(std::move(cur));
    cur.clear();
    in_word = false;
  };
  for (std::size_t i = 0; i < s.size() && words.size() < max_words; ++i) {
    const char c = s[i];
    if (c == '\'') {  // single quotes: literal up to the next quote
      in_word = true;
      const auto end = s.find('\'', i + 1);
      cur.append(s.substr(i + 1, (end == std::string_view::npos ? s.size() : end) - i - 1));
      i = end == std::string_view::npos ? s.size() : end;
    } else if (c == '"') {  // double quotes: backslash escapes \" \\ \$ \`
      in_word = true;
      std::size_t j = i + 1;
      for (; j < s.size() && s[j] != '"'; ++j) {
        if (s[j] == '\\' && j + 1 < s.size() &&
            (s[j + 1] == '"' || s[j + 1] == '\\' || s[j + 1] == '$' || s[j + 1] == '`'))
          ++j;
        cur.push_back(s[j]);
      }
      i = j;
    } else if (c == '\\' && i + 1 < s.size()) {
      in_word = true;
      cur.push_back(s[++i]);
    } else if (c == ' ' || c == '\t') {
      flush();
    } else if (c == ';' || c == '|' || c == '&' || c == '\n') {
      flush();
      if (words.size() < max_words) words.emplace_back(1, c);
    } else {
      in_word = true;
      cur.push_back(c);
    }
  }
  flush();
  return words;
}

ShellAnalysis analyze_shell_command(std::string_view command) {
  ShellAnalysis out;
  const auto verdict = python::classify_shell_command(command);
  for (const auto& b : kBehaviours) {
    if (b.cls != verdict.cls) continue;
    report::Finding f;
    f.rule = b.rule;
    f.severity = Severity::critical;
    f.verdict = Verdict::malicious;
    f.category = b.category;
    f.message = "shell command: " + (verdict.reason.empty() ? std::string(b.category) : verdict.reason);
    f.evidence = std::string(command.substr(0, 512));
    out.findings.push_back(std::move(f));
  }
  // Embedded code: the word after -c / -e / -enc of an interpreter at the start of a stage.
  const auto words = shell_words(command);
  bool stage_start = true;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (is_separator(words[i])) {
      stage_start = true;
      continue;
    }
    if (!stage_start) continue;
    stage_start = false;
    std::size_t p = i;
    // Skip env assignments, sudo, nohup, exec, env in front of the program.
    while (p < words.size() && (words[p] == "sudo" || words[p] == "nohup" || words[p] == "exec" ||
                                words[p] == "env" || words[p].find('=') != std::string::npos))
      ++p;
    if (p >= words.size()) break;
    const std::string_view program = python::program_basename(words[p]);
    const bool is_python = program.starts_with("python") || program == "py";
    const bool is_shell = python::is_shell_program(program);
    const bool is_powershell = program.starts_with("powershell") || program.starts_with("pwsh");
    for (std::size_t k = p + 1; k < words.size() && !is_separator(words[k]); ++k) {
      const std::string& w = words[k];
      if (k + 1 >= words.size()) break;
      if (is_python && (w == "-c" || (w.size() > 2 && w[0] == '-' && w.back() == 'c' && w[1] != '-'))) {
        out.python_code.push_back(words[k + 1]);
        break;
      }
      if (is_powershell && !w.empty() && w[0] == '-') {
        std::string flag = w.substr(1);
        for (char& ch : flag) ch = static_cast<char>(ch | 0x20);
        if (flag == "e" || flag == "en" || flag == "enc" || flag == "encodedcommand" || flag == "ec") {
          if (auto raw = decode::base64_decode(words[k + 1])) out.shell_code.push_back(utf16le_to_ascii(*raw));
          break;
        }
        if (flag == "c" || flag == "command") {
          out.shell_code.push_back(words[k + 1]);
          break;
        }
      }
      if (is_shell && !is_powershell && (w == "-c" || (w.size() > 2 && w[0] == '-' && w.back() == 'c' && w[1] != '-'))) {
        out.shell_code.push_back(words[k + 1]);
        break;
      }
    }
  }
  return out;
}

}  // namespace hubguard::scan
