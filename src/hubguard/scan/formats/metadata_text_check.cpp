#include "hubguard/scan/formats/metadata_text_check.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace hubguard::scan {
namespace {

constexpr std::size_t kMaxUrls = 8;
constexpr std::size_t kExcerpt = 200;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string excerpt(std::string_view s) { return one_line_excerpt(s, kExcerpt); }

}  // namespace

std::string one_line_excerpt(std::string_view s, std::size_t max) {
  std::string out(s.substr(0, max));
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  if (s.size() > max) out += "...";
  return out;
}

bool looks_like_embedded_code(std::string_view text) {
  // Markers that prose and model cards do not contain; a bare "import" or "def" would be.
  static constexpr std::array<std::string_view, 22> kMarkers{
      "__import__", "exec(", "eval(", "compile(", "os.system", "os.popen", "subprocess.",
      "import os", "import subprocess", "import socket", "from os import", "from subprocess import",
      "b64decode", "marshal.loads", "pickle.loads", "/bin/sh", "/bin/bash", "bash -c",
      "powershell", "<script", "| sh", "| bash"};
  const std::string l = lower(text.substr(0, 1u << 20));
  for (auto m : kMarkers)
    if (l.find(m) != std::string::npos) return true;
  // A download piped or chained into a run.
  const bool fetch = l.find("curl ") != std::string::npos || l.find("wget ") != std::string::npos;
  return fetch && (l.find("&&") != std::string::npos || l.find(';') != std::string::npos ||
                   l.find('|') != std::string::npos);
}

std::vector<std::string> embedded_urls(std::string_view text) {
  std::vector<std::string> urls;
  static constexpr std::array<std::string_view, 3> kSchemes{"https://", "http://", "ftp://"};
  const std::string l = lower(text);
  for (std::size_t pos = 0; pos < l.size() && urls.size() < kMaxUrls;) {
    std::size_t best = std::string::npos, len = 0;
    for (auto s : kSchemes) {
      auto at = l.find(s, pos);
      if (at < best) best = at, len = s.size();
    }
    if (best == std::string::npos) break;
    std::size_t end = best + len;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
           text[end] != '"' && text[end] != '\'' && text[end] != '<' && text[end] != '>' &&
           text[end] != ')')
      ++end;
    if (end > best + len) urls.emplace_back(text.substr(best, end - best));
    pos = end;
  }
  return urls;
}

void check_metadata_text(std::string_view format, std::string_view key, std::string_view value,
                         std::uint64_t offset, ScanContext& ctx) {
  const std::string where = std::string(format) + " metadata '" + excerpt(key) + "'";
  if (looks_like_embedded_code(value)) {
    ctx.add_finding(make_finding(std::string(format) + ".metadata-code", report::Severity::medium,
                                 report::Verdict::suspicious, "code-in-metadata",
                                 where + " holds code or a command line; the format never runs "
                                         "it, but a loader script could",
                                 offset, excerpt(value)));
    const std::size_t keep = static_cast<std::size_t>(
        std::min<std::uint64_t>(value.size(), ctx.limits().max_source_size + 1));
    ctx.add_code({CodeKind::code_string, std::string(value.substr(0, keep)), offset, where});
  }
  auto urls = embedded_urls(value);
  if (!urls.empty()) {
    auto f = make_finding(std::string(format) + ".metadata-url", report::Severity::info,
                          report::Verdict::clean, "network-indicator",
                          where + " names a URL", offset, excerpt(value));
    for (auto& u : urls) f.indicators.push_back({"url", std::move(u)});
    ctx.add_finding(std::move(f));
  }
}

}  // namespace hubguard::scan
