// The catalogue the taint analysis judges calls against, kept as data: which callables
// produce tainted data (sources), which consume it dangerously (sinks), which are decoding
// layers, and which strings name sensitive, persistence or broad locations. Callables are
// looked up by their resolved dotted name ("os.system", "requests.Session.post") after
// import aliases are undone; methods on objects whose type is unknown are looked up by
// method name and the kind of handle the receiver carries (a socket, an HTTP client).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hubguard::scan::python {

// Where tainted data comes from.
enum class Taint : std::uint8_t {
  network,     // HTTP/socket reads, dataset downloads (content or the downloaded file's path)
  host,        // environment and host facts (os.environ, hostname, user, platform ...)
  credential,  // secrets: SSH keys, cloud credentials, browser stores, wallets, secret env vars
  decoded,     // the output of a decoding layer (base64, zlib, marshal, rot13 ...)
};
inline constexpr int kTaintKinds = 4;
std::string_view to_string(Taint t);

// Type-like marks a value carries (not taint): what kind of object it is.
enum Handle : unsigned {
  socket_handle = 1u << 0,  // a socket (or its file descriptor)
  http_client = 1u << 1,    // requests.Session, http.client.HTTPConnection ...
  broad_path = 1u << 2,     // a path under a broad location (home, /, /etc ...)
};

// What a call does with its arguments (at most one role per callable).
enum class Role : std::uint8_t {
  none,
  source,            // result carries `taint`
  decoder,           // result is decoded data; constant base64/hex/rot13 is folded
  code_exec,         // argument 0 is code that runs (exec, eval, runpy ...)
  compile,           // returns its argument as a code object (exec(compile(...)))
  dynamic_import,    // argument 0 names a module (__import__, importlib.import_module)
  dynamic_attr,      // getattr(obj, name)
  shell_string,      // argument 0 is a shell command line (os.system, os.popen ...)
  process,           // subprocess.*: argument 0 / args= is argv or a command line
  exec_program,      // os.exec*: argument 0 is the program
  spawn_program,     // os.spawn*: argument 1 is the program
  pty_spawn,         // pty.spawn(argv)
  send,              // outbound: every argument is sent
  send_get,          // an HTTP GET: url/params are sent, the result is a network read
  dns_lookup,        // resolving a name sends it (DNS exfiltration)
  file_open,         // open(path, mode)
  copy_file,         // shutil.copy(src, dst)
  download_to,       // urlretrieve(url, path): a network read written to a path
  destructive,       // rmtree/remove/unlink on argument 0
  chmod,             // os.chmod(path, mode)
  dup2,              // os.dup2(fd, fd2)
  socket_ctor,       // returns a socket
  http_client_ctor,  // returns an HTTP client object
  list_dir,          // os.listdir/walk/glob: entries of argument 0
  registry_write,    // winreg.SetValueEx ...: persistence when under a Run key
  cron_object,       // python-crontab CronTab(): persistence
  path_join,         // os.path.join / expanduser / Path(...): folded as a path
  home_dir,          // Path.home(), os.path.expanduser('~') -> "~"
  env_lookup,        // os.getenv(name) / os.environ.get(name) / os.environ[name]
  chr,               // chr(n): folded
  request_method,    // requests.request(method, url ...): send if method is not GET
};

struct CallableInfo {
  std::string_view name;
  Role role = Role::none;
  Taint taint = Taint::network;  // for Role::source (and the result of send_get)
};

// Exact resolved name ("subprocess.check_output"); nullptr when not catalogued.
const CallableInfo* find_callable(std::string_view qualname);

// A method whose receiver's type is unknown, judged by name and by the handles the receiver
// carries (or, for dataset download managers, by the receiver's variable name).
const CallableInfo* find_method(std::string_view method, unsigned receiver_handles,
                                std::string_view receiver_text);

// Attribute reads that are sources without a call (os.environ).
const CallableInfo* find_source_attribute(std::string_view qualname);

// Canonical module spellings: posix/nt -> os, __builtin__/__builtins__ -> builtins ...
std::string normalize_qualname(std::string_view qualname);
// Builtins that resolve when a bare name is not bound ("exec" -> "builtins.exec").
bool is_builtin_name(std::string_view name);
// Modules whose attributes fetched by a computed name are as good as exec.
bool is_dangerous_module(std::string_view qualname);

// String classification (for constants and constant prefixes).
// A path (or fragment) naming a credential store; returns a short label or empty.
std::string_view sensitive_path_label(std::string_view text);
// A file whose modification makes code run at login/boot/schedule; returns a label or empty.
std::string_view persistence_path_label(std::string_view text);
// A path whose deletion destroys far more than the script's own files ("/", "~", "/etc" ...).
bool is_broad_path(std::string_view path);
// Environment variable names that hold secrets (AWS_SECRET_ACCESS_KEY, HF_TOKEN, ...).
bool is_secret_env_name(std::string_view name);
// A webhook/paste/tunnel endpoint used for exfiltration; returns a label or empty.
std::string_view exfil_endpoint_label(std::string_view url);
// Crypto-mining markers in a string (stratum URLs, pool hosts); returns a label or empty.
std::string_view mining_marker(std::string_view text);

}  // namespace hubguard::scan::python
