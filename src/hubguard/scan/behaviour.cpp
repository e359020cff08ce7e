#include "hubguard/scan/behaviour.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace hubguard::scan {
namespace {

using report::Indicator;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool host_char(char c) { return is_alnum(c) || c == '-' || c == '.'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// Top-level domains accepted for bare domain names (inside URLs every host counts). Left
// out on purpose: TLDs that collide with file extensions and Python attributes (py, sh,
// md, so, pt, pl, rs, to, ai ...), which would turn `setup.py` or `x.to` into domains.
bool known_tld(std::string_view tld) {
  static constexpr std::array<std::string_view, 44> kTlds = {
      "com", "net", "org", "io", "info", "biz", "xyz", "top", "ru", "cn", "su", "tk", "ml",
      "ga", "cf", "gq", "pw", "cc", "ws", "me", "app", "dev", "site", "online", "live", "pro",
      "fun", "club", "icu", "buzz", "onion", "us", "uk", "de", "fr", "nl", "ir", "kp", "ua",
      "co", "tech", "cloud", "link", "stream"};
  const std::string t = to_lower(tld);
  return std::find(kTlds.begin(), kTlds.end(), t) != kTlds.end();
}

class Collector {
 public:
  Collector(std::vector<Indicator>& out, std::size_t max) : out_(out), max_(max) {}
  bool full() const { return out_.size() >= max_; }
  void add(std::string_view kind, std::string_view value) {
    if (value.empty() || full() || value.size() > 512) return;
    for (const auto& i : out_)
      if (i.kind == kind && i.value == value) return;
    out_.push_back({std::string(kind), std::string(value)});
  }

 private:
  std::vector<Indicator>& out_;
  std::size_t max_;
};

// d{1,3}.d{1,3}.d{1,3}.d{1,3} at `i`, octets <= 255; returns the length or 0.
std::size_t ipv4_at(std::string_view t, std::size_t i) {
  std::size_t p = i;
  for (int part = 0; part < 4; ++part) {
    std::size_t digits = 0;
    int value = 0;
    while (p < t.size() && is_digit(t[p]) && digits < 4) {
      value = value * 10 + (t[p] - '0');
      ++p;
      ++digits;
    }
    if (digits == 0 || digits > 3 || value > 255) return 0;
    if (part < 3) {
      if (p >= t.size() || t[p] != '.') return 0;
      ++p;
    }
  }
  if (p < t.size() && (is_alnum(t[p]) || (t[p] == '.' && p + 1 < t.size() && is_digit(t[p + 1])))) return 0;
  return p - i;
}

std::size_t port_after(std::string_view t, std::size_t p, std::string_view& port) {
  std::size_t q = p;
  while (q < t.size() && is_digit(t[q]) && q - p < 6) ++q;
  if (q == p || q - p > 5 || (q < t.size() && is_alnum(t[q]))) return 0;
  const int value = std::stoi(std::string(t.substr(p, q - p)));
  if (value <= 0 || value > 65535) return 0;
  port = t.substr(p, q - p);
  return q - p;
}

void add_host(Collector& c, std::string_view host) {
  while (!host.empty() && (host.back() == '.' || host.back() == '-')) host.remove_suffix(1);
  if (host.empty()) return;
  if (ipv4_at(host, 0) == host.size()) {
    if (host != "0.0.0.0") c.add("ip", host);
  } else if (host.find('.') != std::string_view::npos) {
    c.add("domain", to_lower(host));
  }
}

bool url_char(char c) {
  return c > 0x20 && c < 0x7f && c != '\'' && c != '"' && c != '<' && c != '>' && c != '`' && c != '\\' &&
         c != '{' && c != '}' && c != '|' && c != ' ';
}

// scheme://authority/path at the "://" found at `sep`.
std::size_t url_at(std::string_view t, std::size_t sep, Collector& c) {
  std::size_t start = sep;
  while (start > 0 && (is_alnum(t[start - 1]) || t[start - 1] == '+' || t[start - 1] == '.' || t[start - 1] == '-'))
    --start;
  if (start == sep || !is_alpha(t[start])) return 0;
  std::size_t end = sep + 3;
  while (end < t.size() && url_char(t[end])) ++end;
  while (end > sep + 3 && (t[end - 1] == '.' || t[end - 1] == ',' || t[end - 1] == ';' || t[end - 1] == ')' ||
                           t[end - 1] == ']'))
    --end;
  if (end <= sep + 3) return 0;
  c.add("url", t.substr(start, end - start));
  // Authority: [user@]host[:port]
  std::string_view auth = t.substr(sep + 3, end - sep - 3);
  auth = auth.substr(0, auth.find_first_of("/?#"));
  if (auto at = auth.rfind('@'); at != std::string_view::npos) auth.remove_prefix(at + 1);
  std::string_view host = auth;
  if (!auth.empty() && auth.front() == '[') {  // [ipv6]:port
    const auto close = auth.find(']');
    if (close != std::string_view::npos) {
      c.add("ip", auth.substr(1, close - 1));
      host = {};
      auth.remove_prefix(close + 1);
    }
  } else if (auto colon = auth.rfind(':'); colon != std::string_view::npos) {
    host = auth.substr(0, colon);
    auth.remove_prefix(colon);
  } else {
    auth = {};
  }
  add_host(c, host);
  if (auth.size() > 1 && auth.front() == ':') {
    std::string_view port;
    if (port_after(auth, 1, port)) c.add("port", port);
  }
  return end - sep;
}

// `("host", 4444)`: the address tuple socket.connect takes.
void address_tuple_at(std::string_view t, std::size_t i, Collector& c) {
  std::size_t p = i + 1;
  auto ws = [&] { while (p < t.size() && (t[p] == ' ' || t[p] == '\t')) ++p; };
  ws();
  if (p >= t.size() || (t[p] != '\'' && t[p] != '"')) return;
  const char q = t[p++];
  const std::size_t host_start = p;
  while (p < t.size() && host_char(t[p])) ++p;
  if (p >= t.size() || t[p] != q || p == host_start) return;
  const std::string_view host = t.substr(host_start, p - host_start);
  ++p;
  ws();
  if (p >= t.size() || t[p] != ',') return;
  ++p;
  ws();
  std::string_view port;
  const std::size_t n = port_after(t, p, port);
  if (n == 0) return;
  p += n;
  ws();
  if (p >= t.size() || t[p] != ')') return;
  if (host.find('.') == std::string_view::npos && host != "localhost") return;
  add_host(c, host);
  c.add("port", port);
}

// `/dev/tcp/host/port`
void dev_tcp_at(std::string_view t, std::size_t i, Collector& c) {
  std::size_t p = i + 9;  // after "/dev/tcp/" or "/dev/udp/"
  const std::size_t host_start = p;
  while (p < t.size() && host_char(t[p])) ++p;
  if (p >= t.size() || t[p] != '/' || p == host_start) return;
  add_host(c, t.substr(host_start, p - host_start));
  std::string_view port;
  if (port_after(t, p + 1, port)) c.add("port", port);
}

// `nc [-options] host port`
void netcat_at(std::string_view t, std::size_t i, std::size_t word_len, Collector& c) {
  std::size_t p = i + word_len;
  std::vector<std::string_view> words;
  while (p < t.size() && words.size() < 12) {
    while (p < t.size() && t[p] == ' ') ++p;
    const std::size_t start = p;
    while (p < t.size() && t[p] != ' ' && t[p] != '\n' && t[p] != ';' && t[p] != '|' && t[p] != '&' &&
           t[p] != '\'' && t[p] != '"')
      ++p;
    if (p == start) break;
    words.push_back(t.substr(start, p - start));
  }
  for (std::size_t k = 0; k + 1 < words.size(); ++k) {
    if (words[k].front() == '-') {
      if (words[k] == "-e" || words[k] == "-c" || words[k] == "-p" || words[k] == "-s") ++k;  // takes a value
      continue;
    }
    std::string_view port;
    if (port_after(words[k + 1], 0, port) == words[k + 1].size() && words[k].find('.') != std::string_view::npos) {
      add_host(c, words[k]);
      c.add("port", port);
    }
    return;
  }
}

bool path_boundary(std::string_view t, std::size_t i) {
  if (i == 0) return true;
  const char b = t[i - 1];
  return b == '\'' || b == '"' || b == ' ' || b == '=' || b == '(' || b == '>' || b == '<' || b == '\n' ||
         b == '\t' || b == ',' || b == ';' || b == '`' || b == '[';
}

std::size_t path_at(std::string_view t, std::size_t i, Collector& c) {
  static constexpr std::string_view kRoots[] = {
      "/etc/", "/root", "/home/", "/tmp/", "/var/", "/dev/shm", "/dev/tcp/", "/dev/udp/", "/bin/", "/sbin/", "/usr/bin/",
      "/usr/local/bin/", "/proc/", "/Library/", "/Users/", "/System/", "~/", "$HOME/", "${HOME}/",
      "C:\\", "c:\\", "%APPDATA%", "%TEMP%", "%USERPROFILE%", "%LOCALAPPDATA%", "%PROGRAMDATA%"};
  if (!path_boundary(t, i)) return 0;
  for (auto root : kRoots) {
    if (t.substr(i, root.size()) != root) continue;
    std::size_t end = i + root.size();
    while (end < t.size() && (is_alnum(t[end]) || t[end] == '_' || t[end] == '.' || t[end] == '-' ||
                              t[end] == '/' || t[end] == '\\' || t[end] == '*' || t[end] == '~' || t[end] == '%'))
      ++end;
    while (end > i + 1 && (t[end - 1] == '.' || t[end - 1] == '\\')) --end;
    if (end - i < 3) return 0;
    c.add("path", t.substr(i, end - i));
    return end - i;
  }
  return 0;
}

std::size_t email_at(std::string_view t, std::size_t at, Collector& c) {
  std::size_t start = at;
  while (start > 0 && (is_alnum(t[start - 1]) || t[start - 1] == '.' || t[start - 1] == '_' ||
                       t[start - 1] == '%' || t[start - 1] == '+' || t[start - 1] == '-'))
    --start;
  std::size_t end = at + 1;
  while (end < t.size() && host_char(t[end])) ++end;
  while (end > at + 1 && (t[end - 1] == '.' || t[end - 1] == '-')) --end;
  if (start == at || end == at + 1) return 0;
  const std::string_view domain = t.substr(at + 1, end - at - 1);
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot + 2 >= domain.size() + 0 || !is_alpha(domain[dot + 1])) return 0;
  const std::string_view tld = domain.substr(dot + 1);
  if (!std::all_of(tld.begin(), tld.end(), is_alpha)) return 0;
  c.add("email", t.substr(start, end - start));
  return end - at;
}

// Bare host names with a known TLD (`'evil.example.com'` as a string constant).
std::size_t domain_at(std::string_view t, std::size_t i, Collector& c) {
  if (i > 0 && (is_alnum(t[i - 1]) || t[i - 1] == '_' || t[i - 1] == '.' || t[i - 1] == '@' || t[i - 1] == '/' ||
                t[i - 1] == '-'))
    return 0;
  std::size_t end = i;
  while (end < t.size() && host_char(t[end])) ++end;
  std::string_view host = t.substr(i, end - i);
  while (!host.empty() && (host.back() == '.' || host.back() == '-')) host.remove_suffix(1);
  if (end < t.size() && (t[end] == '(' || t[end] == '_')) return end - i;  // a call or identifier
  const auto dot = host.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return end - i;
  if (!known_tld(host.substr(dot + 1))) return end - i;
  // Labels must be non-empty and not start with a digit-only run that makes an IP.
  if (host.find("..") != std::string_view::npos || host.front() == '-') return end - i;
  c.add("domain", to_lower(host));
  return end - i;
}

}  // namespace

const std::vector<std::string_view>& behaviour_classes() {
  static const std::vector<std::string_view> kClasses = {
      "reverse-shell", "credential-theft", "reconnaissance", "downloader",
      "shell-command", "code-execution",   "destructive",    "persistence",
      "crypto-mining", "file-access",      "obfuscation"};
  return kClasses;
}

bool is_behaviour_class(std::string_view category) {
  const auto& v = behaviour_classes();
  return std::find(v.begin(), v.end(), category) != v.end();
}

std::vector<Indicator> extract_indicators(std::string_view t, std::size_t max) {
  std::vector<Indicator> out;
  Collector c(out, max);
  // URLs first so their hosts are not also taken as bare domains.
  std::vector<std::pair<std::size_t, std::size_t>> url_spans;
  for (std::size_t sep = t.find("://"); sep != std::string_view::npos && !c.full(); sep = t.find("://", sep + 3)) {
    const std::size_t n = url_at(t, sep, c);
    if (n) url_spans.push_back({sep, sep + n});
  }
  auto in_url = [&](std::size_t i) {
    for (const auto& [a, b] : url_spans)
      if (i + 16 >= a && i < b) return true;  // the scheme sits just before "://"
    return false;
  };
  for (std::size_t i = 0; i < t.size() && !c.full();) {
    const char ch = t[i];
    if (in_url(i)) {
      ++i;
      continue;
    }
    if (is_digit(ch) && (i == 0 || (!is_alnum(t[i - 1]) && t[i - 1] != '.'))) {
      if (const std::size_t n = ipv4_at(t, i)) {
        const std::string_view ip = t.substr(i, n);
        if (ip != "0.0.0.0") c.add("ip", ip);
        std::string_view port;
        if (i + n < t.size() && t[i + n] == ':' && port_after(t, i + n + 1, port)) c.add("port", port);
        i += n;
        continue;
      }
    }
    if (ch == '(') address_tuple_at(t, i, c);
    if (ch == '/' && (t.substr(i, 9) == "/dev/tcp/" || t.substr(i, 9) == "/dev/udp/")) dev_tcp_at(t, i, c);
    if ((ch == 'n' || ch == 'N') && (i == 0 || !is_alnum(t[i - 1]))) {
      for (std::string_view word : {"nc ", "ncat ", "netcat "})
        if (t.substr(i, word.size()) == word) netcat_at(t, i, word.size(), c);
    }
    if (ch == '@') {
      if (const std::size_t n = email_at(t, i, c)) {
        i += n;
        continue;
      }
    }
    if (ch == '/' || ch == '~' || ch == '$' || ch == 'C' || ch == 'c' || ch == '%') {
      if (const std::size_t n = path_at(t, i, c)) {
        i += n;
        continue;
      }
    }
    if (is_alpha(ch)) {
      const std::size_t n = domain_at(t, i, c);
      i += std::max<std::size_t>(n, 1);
      continue;
    }
    ++i;
  }
  // IPv6 literals outside URLs: rare in payloads; only full or "::"-compressed forms with at
  // least three groups (so Python slices like a[1::2] are not taken).
  for (std::size_t i = 0; i < t.size() && !c.full();) {
    if (!(is_hex(t[i]) || t[i] == ':') || (i > 0 && (is_alnum(t[i - 1]) || t[i - 1] == ':'))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < t.size() && (is_hex(t[end]) || t[end] == ':') && end - i < 40) ++end;
    const std::string_view cand = t.substr(i, end - i);
    const auto colons = static_cast<std::size_t>(std::count(cand.begin(), cand.end(), ':'));
    const bool compressed = cand.find("::") != std::string_view::npos;
    bool groups_ok = true;
    std::size_t groups = 0, run = 0;
    for (char ch : cand) {
      if (ch == ':') {
        if (run > 4) groups_ok = false;
        if (run) ++groups;
        run = 0;
      } else {
        ++run;
      }
    }
    if (run) ++groups;
    if (run > 4) groups_ok = false;
    if (groups_ok && ((colons == 7 && !compressed && groups == 8) || (compressed && groups >= 3 && colons <= 7)) &&
        (end >= t.size() || !is_alnum(t[end])))
      c.add("ip", cand);
    i = std::max(end, i + 1);
  }
  return out;
}

void add_indicators(report::Finding& finding, std::string_view text, std::size_t max) {
  if (finding.indicators.size() >= max) return;
  for (auto& i : extract_indicators(text, max)) {
    if (finding.indicators.size() >= max) break;
    const bool known = std::any_of(finding.indicators.begin(), finding.indicators.end(),
                                   [&](const Indicator& x) { return x.kind == i.kind && x.value == i.value; });
    if (!known) finding.indicators.push_back(std::move(i));
  }
}

void classify_behaviour(std::vector<report::Finding>& findings) {
  for (auto& f : findings) {
    if (f.verdict < report::Verdict::dangerous) continue;
    if (f.indicators.empty()) add_indicators(f, f.evidence);
    if (is_behaviour_class(f.category)) continue;
    const std::string text = to_lower(f.rule + " " + f.message + " " + f.evidence);
    auto has = [&](std::string_view w) { return text.find(w) != std::string::npos; };
    if (has("/dev/tcp") || has("pty.spawn") || has("dup2")) f.category = "reverse-shell";
    else if (has("rmtree") || has("os.remove") || has("unlink") || has("rm -rf")) f.category = "destructive";
    else if (has("system") || has("popen") || has("subprocess") || has("spawn") || has("os.exec") ||
             has("posix") || has("shell"))
      f.category = "shell-command";
    else if (has("urlopen") || has("requests.") || has("torch.hub") || has("pip") || has("webbrowser") ||
             has("download"))
      f.category = "downloader";
    else if (has("base64") || has("zlib") || has("marshal") || has("obfuscat")) f.category = "obfuscation";
    else if (has("open(") || has("builtins.open") || has("io.open")) f.category = "file-access";
    else f.category = "code-execution";
  }
}

}  // namespace hubguard::scan
