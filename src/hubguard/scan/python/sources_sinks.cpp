#include "hubguard/scan/python/sources_sinks.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>
#include <string>
#include <unordered_map>

namespace hubguard::scan::python {
namespace {

using enum Role;

// Resolved dotted names. Methods of objects of a known class are spelled Class.method.
constexpr CallableInfo kCallables[] = {
    // Code execution and dynamic name resolution.
    {"builtins.exec", code_exec},
    {"builtins.eval", code_exec},
    {"builtins.execfile", code_exec},
    {"builtins.compile", compile},
    {"runpy.run_path", code_exec},
    {"runpy.run_module", code_exec},
    {"types.FunctionType", code_exec},
    {"types.CodeType", code_exec},
    {"code.InteractiveInterpreter.runsource", code_exec},
    {"code.InteractiveInterpreter.runcode", code_exec},
    {"code.interact", code_exec},
    {"timeit.timeit", code_exec},
    {"timeit.repeat", code_exec},
    {"cProfile.run", code_exec},
    {"profile.run", code_exec},
    {"pdb.run", code_exec},
    {"builtins.__import__", dynamic_import},
    {"importlib.import_module", dynamic_import},
    {"importlib.__import__", dynamic_import},
    {"builtins.getattr", dynamic_attr},
    // Process execution.
    {"os.system", shell_string},
    {"os.popen", shell_string},
    {"subprocess.getoutput", shell_string},
    {"subprocess.getstatusoutput", shell_string},
    {"commands.getoutput", shell_string},
    {"commands.getstatusoutput", shell_string},
    {"platform.popen", shell_string},
    {"asyncio.create_subprocess_shell", shell_string},
    {"subprocess.Popen", process},
    {"subprocess.run", process},
    {"subprocess.call", process},
    {"subprocess.check_call", process},
    {"subprocess.check_output", process},
    {"asyncio.create_subprocess_exec", process},
    {"os.execl", exec_program},
    {"os.execle", exec_program},
    {"os.execlp", exec_program},
    {"os.execlpe", exec_program},
    {"os.execv", exec_program},
    {"os.execve", exec_program},
    {"os.execvp", exec_program},
    {"os.execvpe", exec_program},
    {"os.posix_spawn", exec_program},
    {"os.posix_spawnp", exec_program},
    {"os.startfile", exec_program},
    {"os.spawnl", spawn_program},
    {"os.spawnle", spawn_program},
    {"os.spawnlp", spawn_program},
    {"os.spawnlpe", spawn_program},
    {"os.spawnv", spawn_program},
    {"os.spawnve", spawn_program},
    {"os.spawnvp", spawn_program},
    {"os.spawnvpe", spawn_program},
    {"pty.spawn", pty_spawn},
    // Network: reads (sources) and sends (sinks).
    {"requests.get", send_get, Taint::network},
    {"requests.head", send_get, Taint::network},
    {"requests.options", send_get, Taint::network},
    {"requests.post", send, Taint::network},
    {"requests.put", send, Taint::network},
    {"requests.patch", send, Taint::network},
    {"requests.delete", send, Taint::network},
    {"requests.request", request_method, Taint::network},
    {"requests.api.get", send_get, Taint::network},
    {"requests.api.post", send, Taint::network},
    {"requests.Session.get", send_get, Taint::network},
    {"requests.Session.post", send, Taint::network},
    {"requests.Session.put", send, Taint::network},
    {"requests.Session.patch", send, Taint::network},
    {"requests.Session.request", request_method, Taint::network},
    {"httpx.get", send_get, Taint::network},
    {"httpx.post", send, Taint::network},
    {"httpx.put", send, Taint::network},
    {"httpx.patch", send, Taint::network},
    {"httpx.request", request_method, Taint::network},
    {"urllib.request.urlopen", send_get, Taint::network},
    {"urllib2.urlopen", send_get, Taint::network},
    {"urllib.urlopen", send_get, Taint::network},
    {"urllib.request.urlretrieve", download_to, Taint::network},
    {"urllib.urlretrieve", download_to, Taint::network},
    {"wget.download", download_to, Taint::network},
    {"torch.hub.download_url_to_file", download_to, Taint::network},
    {"huggingface_hub.hf_hub_download", source, Taint::network},
    {"huggingface_hub.snapshot_download", source, Taint::network},
    {"datasets.utils.file_utils.cached_path", source, Taint::network},
    {"datasets.DownloadManager.download", source, Taint::network},
    {"datasets.DownloadManager.download_and_extract", source, Taint::network},
    {"smtplib.SMTP.sendmail", send},
    {"smtplib.SMTP.send_message", send},
    {"smtplib.SMTP_SSL.sendmail", send},
    {"smtplib.SMTP_SSL.send_message", send},
    {"ftplib.FTP.storbinary", send},
    {"ftplib.FTP.storlines", send},
    {"socket.gethostbyname", dns_lookup},
    {"socket.gethostbyname_ex", dns_lookup},
    {"socket.getaddrinfo", dns_lookup},
    {"dns.resolver.resolve", dns_lookup},
    {"dns.resolver.query", dns_lookup},
    {"dns.resolver.Resolver.resolve", dns_lookup},
    {"dns.resolver.Resolver.query", dns_lookup},
    {"socket.socket", socket_ctor},
    {"socket.create_connection", socket_ctor},
    {"socket.fromfd", socket_ctor},
    {"ssl.wrap_socket", socket_ctor},
    {"requests.Session", http_client_ctor},
    {"requests.session", http_client_ctor},
    {"httpx.Client", http_client_ctor},
    {"httpx.AsyncClient", http_client_ctor},
    {"http.client.HTTPConnection", http_client_ctor},
    {"http.client.HTTPSConnection", http_client_ctor},
    {"httplib.HTTPConnection", http_client_ctor},
    {"httplib.HTTPSConnection", http_client_ctor},
    {"urllib3.PoolManager", http_client_ctor},
    {"aiohttp.ClientSession", http_client_ctor},
    {"urllib.request.Request", none},
    // Environment and host facts.
    {"os.getenv", env_lookup, Taint::host},
    {"os.environ.get", env_lookup, Taint::host},
    {"os.environ.copy", source, Taint::host},
    {"os.environ.items", source, Taint::host},
    {"os.getenvb", env_lookup, Taint::host},
    {"getpass.getuser", source, Taint::host},
    {"getpass.getpass", source, Taint::credential},
    {"os.getlogin", source, Taint::host},
    {"os.uname", source, Taint::host},
    {"os.getuid", source, Taint::host},
    {"os.getpid", none},
    {"platform.node", source, Taint::host},
    {"platform.uname", source, Taint::host},
    {"platform.platform", source, Taint::host},
    {"platform.system", source, Taint::host},
    {"platform.release", source, Taint::host},
    {"platform.version", source, Taint::host},
    {"platform.machine", source, Taint::host},
    {"platform.processor", source, Taint::host},
    {"socket.gethostname", source, Taint::host},
    {"socket.getfqdn", source, Taint::host},
    {"uuid.getnode", source, Taint::host},
    {"psutil.users", source, Taint::host},
    {"psutil.net_if_addrs", source, Taint::host},
    {"pwd.getpwall", source, Taint::credential},
    {"spwd.getspall", source, Taint::credential},
    {"keyring.get_password", source, Taint::credential},
    {"browser_cookie3.load", source, Taint::credential},
    {"browser_cookie3.chrome", source, Taint::credential},
    {"browser_cookie3.firefox", source, Taint::credential},
    {"win32crypt.CryptUnprotectData", source, Taint::credential},
    // Decoding layers.
    {"base64.b64decode", decoder},
    {"base64.b32decode", decoder},
    {"base64.b16decode", decoder},
    {"base64.a85decode", decoder},
    {"base64.b85decode", decoder},
    {"base64.decodebytes", decoder},
    {"base64.decodestring", decoder},
    {"base64.urlsafe_b64decode", decoder},
    {"base64.standard_b64decode", decoder},
    {"binascii.a2b_base64", decoder},
    {"binascii.unhexlify", decoder},
    {"binascii.a2b_hex", decoder},
    {"codecs.decode", decoder},
    {"zlib.decompress", decoder},
    {"gzip.decompress", decoder},
    {"bz2.decompress", decoder},
    {"lzma.decompress", decoder},
    {"marshal.loads", decoder},
    {"builtins.bytes.fromhex", decoder},
    {"builtins.bytearray.fromhex", decoder},
    {"builtins.chr", chr},
    // Files.
    {"builtins.open", file_open},
    {"io.open", file_open},
    {"codecs.open", file_open},
    {"os.open", file_open},
    {"sqlite3.connect", file_open},
    {"shutil.copy", copy_file},
    {"shutil.copy2", copy_file},
    {"shutil.copyfile", copy_file},
    {"shutil.move", copy_file},
    {"os.rename", copy_file},
    {"os.replace", copy_file},
    {"shutil.rmtree", destructive},
    {"os.remove", destructive},
    {"os.unlink", destructive},
    {"os.rmdir", destructive},
    {"os.removedirs", destructive},
    {"send2trash.send2trash", destructive},
    {"os.chmod", chmod},
    {"os.dup2", dup2},
    {"os.dup", none},
    {"os.listdir", list_dir},
    {"os.scandir", list_dir},
    {"os.walk", list_dir},
    {"glob.glob", list_dir},
    {"glob.iglob", list_dir},
    {"os.path.join", path_join},
    {"os.path.expanduser", path_join},
    {"os.path.expandvars", path_join},
    {"os.path.abspath", path_join},
    {"os.path.realpath", path_join},
    {"os.path.normpath", path_join},
    {"pathlib.Path", path_join},
    {"pathlib.PosixPath", path_join},
    {"pathlib.WindowsPath", path_join},
    {"pathlib.PurePath", path_join},
    {"pathlib.Path.home", home_dir},
    {"os.path.expanduser.~", home_dir},
    {"winreg.SetValueEx", registry_write},
    {"winreg.SetValue", registry_write},
    {"_winreg.SetValueEx", registry_write},
    {"crontab.CronTab", cron_object},
};

const std::unordered_map<std::string_view, const CallableInfo*>& callable_index() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, const CallableInfo*>();
    for (const auto& c : kCallables) m->emplace(c.name, &c);
    return m;
  }();
  return *index;
}

// Methods judged by name on receivers of unknown type.
constexpr CallableInfo kSocketMethods[] = {
    {"send", send},
    {"sendall", send},
    {"sendto", send},
    {"sendmsg", send},
    {"sendfile", send},
    {"connect", dns_lookup},
    {"connect_ex", dns_lookup},
    {"recv", source, Taint::network},
    {"recvfrom", source, Taint::network},
    {"recv_into", source, Taint::network},
    {"recvmsg", source, Taint::network},
    {"makefile", source, Taint::network},
};
constexpr CallableInfo kHttpMethods[] = {
    {"get", send_get, Taint::network},     {"head", send_get, Taint::network},
    {"post", send, Taint::network},        {"put", send, Taint::network},
    {"patch", send, Taint::network},       {"request", request_method, Taint::network},
    {"urlopen", send_get, Taint::network}, {"getresponse", source, Taint::network},
    {"send", send, Taint::network},
};
constexpr CallableInfo kDownloadManagerMethods[] = {
    {"download", source, Taint::network},
    {"download_and_extract", source, Taint::network},
    {"download_custom", source, Taint::network},
};
// Path-object methods (pathlib) on any receiver: the receiver is the path.
constexpr CallableInfo kPathMethods[] = {
    {"read_text", file_open}, {"read_bytes", file_open}, {"open", file_open},
    {"unlink", destructive},  {"rmdir", destructive},    {"chmod", chmod},
    {"iterdir", list_dir},    {"glob", list_dir},        {"rglob", list_dir},
};

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// `needle` must be lower case.
bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  const char first = needle.front();
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (ascii_lower(hay[i]) != first) continue;
    std::size_t k = 1;
    while (k < needle.size() && ascii_lower(hay[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

struct Marker {
  std::string_view needle;
  std::string_view label;
};

// Fragments are matched case-insensitively and with '\' read as '/'.
constexpr Marker kSensitive[] = {
    {".ssh/id_", "SSH private key"},
    {".ssh/identity", "SSH private key"},
    {".ssh/known_hosts", "SSH known hosts"},
    {".aws/credentials", "AWS credentials"},
    {".aws/config", "AWS config"},
    {".config/gcloud", "Google Cloud credentials"},
    {"application_default_credentials.json", "Google Cloud credentials"},
    {".azure/", "Azure credentials"},
    {".kube/config", "Kubernetes config"},
    {".docker/config.json", "Docker credentials"},
    {".netrc", "netrc credentials"},
    {".git-credentials", "git credentials"},
    {".pypirc", "PyPI credentials"},
    {".npmrc", "npm credentials"},
    {"huggingface/token", "Hugging Face token"},
    {"/login data", "browser saved passwords"},
    {"login data", "browser saved passwords"},
    {"/cookies", "browser cookies"},
    {"cookies.sqlite", "browser cookies"},
    {"web data", "browser autofill data"},
    {"logins.json", "browser saved passwords"},
    {"key4.db", "browser key store"},
    {"key3.db", "browser key store"},
    {"/local state", "browser key store"},
    {"wallet.dat", "cryptocurrency wallet"},
    {".electrum", "cryptocurrency wallet"},
    {"exodus/exodus.wallet", "cryptocurrency wallet"},
    {"nkbihfbeogaeaoehlefnkodbefgpgknn", "MetaMask wallet"},
    {".ethereum/keystore", "cryptocurrency wallet"},
    {"keychains/login.keychain", "macOS keychain"},
    {"/etc/passwd", "system account list"},
    {"/etc/shadow", "system password hashes"},
    {".bash_history", "shell history"},
    {".zsh_history", "shell history"},
    {".python_history", "shell history"},
    {".mysql_history", "shell history"},
    {".psql_history", "shell history"},
    {"consolehost_history.txt", "shell history"},
};

constexpr Marker kPersistence[] = {
    {".bashrc", "shell startup file"},
    {".bash_profile", "shell startup file"},
    {".bash_login", "shell startup file"},
    {".profile", "shell startup file"},
    {".zshrc", "shell startup file"},
    {".zprofile", "shell startup file"},
    {".zshenv", "shell startup file"},
    {"config/fish/config.fish", "shell startup file"},
    {"/etc/profile", "shell startup file"},
    {"/etc/bash.bashrc", "shell startup file"},
    {"/etc/rc.local", "boot script"},
    {"/etc/init.d/", "boot script"},
    {"/etc/cron", "cron table"},
    {"/var/spool/cron", "cron table"},
    {"/etc/systemd/", "systemd unit"},
    {".config/systemd/user", "systemd unit"},
    {"/lib/systemd/system", "systemd unit"},
    {".config/autostart", "desktop autostart"},
    {"/etc/xdg/autostart", "desktop autostart"},
    {"library/launchagents", "launchd agent"},
    {"library/launchdaemons", "launchd daemon"},
    {"start menu/programs/startup", "Windows startup folder"},
    {"currentversion/run", "Windows Run key"},
    {".ssh/authorized_keys", "SSH authorized keys"},
    {"sitecustomize.py", "Python startup hook"},
    {"usercustomize.py", "Python startup hook"},
    {"site-packages/", "Python package directory"},
    {"/etc/ld.so.preload", "dynamic loader preload"},
};

constexpr Marker kExfil[] = {
    {"discord.com/api/webhooks", "Discord webhook"},
    {"discordapp.com/api/webhooks", "Discord webhook"},
    {"hooks.slack.com", "Slack webhook"},
    {"api.telegram.org/bot", "Telegram bot API"},
    {"webhook.site", "webhook.site"},
    {"pipedream.net", "Pipedream endpoint"},
    {"requestbin", "RequestBin"},
    {"pastebin.com/api", "Pastebin API"},
    {"transfer.sh", "transfer.sh"},
    {"ngrok.io", "ngrok tunnel"},
    {"ngrok-free.app", "ngrok tunnel"},
    {"interact.sh", "interactsh"},
    {"burpcollaborator.net", "Burp Collaborator"},
    {"oast.", "out-of-band testing endpoint"},
};

constexpr Marker kMining[] = {
    {"stratum+tcp://", "stratum mining URL"},
    {"stratum+ssl://", "stratum mining URL"},
    {"stratum+tls://", "stratum mining URL"},
    {"stratum2+tcp://", "stratum mining URL"},
    {"minexmr.com", "mining pool"},
    {"supportxmr.com", "mining pool"},
    {"nanopool.org", "mining pool"},
    {"moneroocean.stream", "mining pool"},
    {"hashvault.pro", "mining pool"},
    {"xmrpool.eu", "mining pool"},
    {"c3pool.com", "mining pool"},
    {"2miners.com", "mining pool"},
    {"f2pool.com", "mining pool"},
    {"minergate.com", "mining pool"},
    {"unmineable.com", "mining pool"},
    {"nicehash.com", "mining pool"},
};

std::string slashes_forward(std::string_view s) {
  std::string out(s);
  std::replace(out.begin(), out.end(), '\\', '/');
  return out;
}

// Markers are matched on a lower-cased copy with '\' read as '/' (made once per text).
std::string_view find_marker(std::string_view text, std::span<const Marker> markers) {
  if (text.size() < 4) return {};
  std::string t(text.substr(0, 4096));
  for (char& c : t) c = c == '\\' ? '/' : ascii_lower(c);
  for (const auto& m : markers)
    if (t.find(m.needle) != std::string::npos) return m.label;
  return {};
}

}  // namespace

std::string_view to_string(Taint t) {
  switch (t) {
    case Taint::network:
      return "network";
    case Taint::host:
      return "host";
    case Taint::credential:
      return "credential";
    case Taint::decoded:
      return "decoded";
  }
  return "?";
}

const CallableInfo* find_callable(std::string_view qualname) {
  const auto& index = callable_index();
  auto it = index.find(qualname);
  return it == index.end() ? nullptr : it->second;
}

const CallableInfo* find_method(std::string_view method, unsigned receiver_handles,
                                std::string_view receiver_text) {
  auto pick = [&](std::span<const CallableInfo> table) -> const CallableInfo* {
    for (const auto& c : table)
      if (c.name == method) return &c;
    return nullptr;
  };
  if (receiver_handles & socket_handle)
    if (auto* c = pick(kSocketMethods)) return c;
  if (receiver_handles & http_client)
    if (auto* c = pick(kHttpMethods)) return c;
  if (icontains(receiver_text, "dl_manager") || icontains(receiver_text, "download_manager") ||
      icontains(receiver_text, "dlmanager"))
    if (auto* c = pick(kDownloadManagerMethods)) return c;
  if (method == "download_and_extract") return &kDownloadManagerMethods[1];
  return pick(kPathMethods);
}

const CallableInfo* find_source_attribute(std::string_view qualname) {
  static constexpr CallableInfo kEnviron{"os.environ", Role::source, Taint::host};
  static constexpr CallableInfo kEnvironb{"os.environb", Role::source, Taint::host};
  if (qualname == "os.environ") return &kEnviron;
  if (qualname == "os.environb") return &kEnvironb;
  return nullptr;
}

std::string normalize_qualname(std::string_view q) {
  struct Alias {
    std::string_view from, to;
  };
  static constexpr Alias kAliases[] = {
      {"posix", "os"},
      {"nt", "os"},
      {"__builtin__", "builtins"},
      {"__builtins__", "builtins"},
      {"_io", "io"},
      {"_socket", "socket"},
      {"urllib2", "urllib.request"},
      {"_winreg", "winreg"},
      {"importlib.__import__", "builtins.__import__"},
      {"pathlib.PosixPath", "pathlib.Path"},
      {"pathlib.WindowsPath", "pathlib.Path"},
      {"requests.api", "requests"},
      {"requests.sessions.Session", "requests.Session"},
      {"posixpath", "os.path"},
      {"ntpath", "os.path"},
      {"subprocess._args_from_interpreter_flags", "subprocess._args_from_interpreter_flags"},
  };
  for (const auto& a : kAliases) {
    if (q == a.from) return std::string(a.to);
    if (q.size() > a.from.size() && q.substr(0, a.from.size()) == a.from && q[a.from.size()] == '.')
      return std::string(a.to) + std::string(q.substr(a.from.size()));
  }
  return std::string(q);
}

bool is_builtin_name(std::string_view name) {
  static constexpr std::string_view kNames[] = {"exec",       "eval",      "compile", "execfile",
                                                "__import__", "getattr",   "open",    "chr",
                                                "bytes",      "bytearray", "input",   "globals",
                                                "locals",     "vars",      "setattr", "breakpoint"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

bool is_dangerous_module(std::string_view q) {
  static constexpr std::string_view kModules[] = {
      "os",     "builtins", "subprocess", "sys",  "importlib", "socket", "pty", "shutil",
      "ctypes", "marshal",  "runpy",      "code", "commands",  "posix",  "nt"};
  return std::find(std::begin(kModules), std::end(kModules), q) != std::end(kModules);
}

std::string_view sensitive_path_label(std::string_view text) {
  return find_marker(text, kSensitive);
}

std::string_view persistence_path_label(std::string_view text) {
  return find_marker(text, kPersistence);
}

std::string_view exfil_endpoint_label(std::string_view url) {
  return find_marker(url, kExfil);
}

std::string_view mining_marker(std::string_view text) {
  return find_marker(text, kMining);
}

bool is_broad_path(std::string_view path) {
  std::string p = slashes_forward(path);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  if (p.size() >= 2 && p.substr(p.size() - 2) == "/*") p.resize(p.size() - 2);
  if (p.empty()) return false;
  static constexpr std::string_view kBroad[] = {
      "/",           "~",         "$HOME",  "${HOME}",   "%USERPROFILE%",
      "/home",       "/root",     "/etc",   "/usr",      "/var",
      "/bin",        "/sbin",     "/boot",  "/lib",      "/lib64",
      "/opt",        "/srv",      "/mnt",   "/media",    "/Users",
      "C:",          "C:/",       "c:",     "C:/Users",  "C:/Windows",
      "~/Documents", "~/Desktop", "~/.ssh", "~/.config", "~/Pictures",
      "~/Downloads", "/"};
  for (auto b : kBroad)
    if (p == b) return true;
  return false;
}

bool is_secret_env_name(std::string_view name) {
  static constexpr std::string_view kParts[] = {"token",      "secret", "password",   "passwd",
                                                "api_key",    "apikey", "access_key", "private_key",
                                                "credential", "aws_",   "auth"};
  for (auto part : kParts)
    if (icontains(name, part)) return true;
  return false;
}

}  // namespace hubguard::scan::python
