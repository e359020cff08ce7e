#include "hubguard/stars/clickhouse_http.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <mutex>

namespace hubguard::stars {
namespace {

constexpr std::size_t kMaxErrorBody = 64 * 1024;  // kept of a non-200 answer for the message
constexpr std::size_t kTailBytes = 4096;           // kept of a 200 answer to spot a late exception

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  CURL* curl = nullptr;
  const ClickHouseSink* sink = nullptr;
  long status = 0;
  bool sink_failed = false;
  std::uint64_t bytes = 0;
  std::string error_body;  // body of a non-200 answer
  std::string tail;        // last bytes of a 200 answer
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t->status == 0) curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &t->status);
  if (t->status != 200) {
    if (t->error_body.size() < kMaxErrorBody)
      t->error_body.append(data, std::min(n, kMaxErrorBody - t->error_body.size()));
    return n;
  }
  t->bytes += n;
  t->tail.append(data, n);
  if (t->tail.size() > 2 * kTailBytes) t->tail.erase(0, t->tail.size() - kTailBytes);
  if (!(*t->sink)(std::string_view(data, n))) {
    t->sink_failed = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  return n;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// A ClickHouse exception printed after rows already went out: the body's last line.
bool late_exception(const std::string& tail, std::string& message) {
  const std::string t = trim(tail);
  const std::size_t nl = t.rfind('\n');
  const std::string last = nl == std::string::npos ? t : t.substr(nl + 1);
  if (last.rfind("Code: ", 0) == 0 && last.find("DB::Exception") != std::string::npos) {
    message = last;
    return true;
  }
  return false;
}

// The URL may carry a password (user:pass@ or ?password=): name the server without either.
std::string redacted(const std::string& url) {
  std::string u = url.substr(0, url.find('?'));
  const std::size_t scheme = u.find("://");
  const std::size_t at = u.find('@');
  if (scheme != std::string::npos && at != std::string::npos && at < u.find('/', scheme + 3))
    u.erase(scheme + 3, at + 1 - (scheme + 3));
  return u;
}

using CurlPtr = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

Result<std::uint64_t> post(const ClickHouseServer& server, std::string_view statement_in_url, std::string_view body,
                           const ClickHouseSink& sink) {
  const std::string& base = server.base_url;
  if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0)
    return make_error("ClickHouse URL must start with http:// or https://, got '" + base + "'");
  global_init();
  CurlPtr curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return make_error("cannot initialise libcurl");
  std::string url = base;
  if (!statement_in_url.empty()) {
    char* escaped = curl_easy_escape(curl.get(), statement_in_url.data(), static_cast<int>(statement_in_url.size()));
    if (!escaped) return make_error("cannot encode the statement for the URL");
    url += (url.find('?') == std::string::npos ? (url.back() == '/' ? "?" : "/?") : "&");
    url += "query=";
    url += escaped;
    curl_free(escaped);
  }
  Transfer t;
  t.curl = curl.get();
  t.sink = &sink;
  char curl_error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 15L);
  curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &on_data);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, curl_error);
  // No "Expect: 100-continue" round trip for large inserts.
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  const CURLcode rc = curl_easy_perform(curl.get());
  curl_slist_free_all(headers);
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &t.status);

  const std::string where = "ClickHouse at " + redacted(base);
  if (t.sink_failed) return make_error(where + ": could not store the answer (write failed)");
  if (rc != CURLE_OK)
    return make_error(where + ": " + (curl_error[0] ? std::string(curl_error) : curl_easy_strerror(rc)));
  if (t.status != 200) {
    std::string msg = trim(t.error_body);
    if (msg.empty()) msg = "(no message)";
    return make_error(where + " answered HTTP " + std::to_string(t.status) + ": " + msg);
  }
  std::string late;
  if (late_exception(t.tail, late)) return make_error(where + " failed mid-answer: " + late);
  return t.bytes;
}

}  // namespace

Result<std::uint64_t> clickhouse_query(const ClickHouseServer& server, std::string_view sql, const ClickHouseSink& sink) {
  return post(server, {}, sql, sink);
}

Result<std::string> clickhouse_query_text(const ClickHouseServer& server, std::string_view sql, std::size_t max_bytes) {
  std::string out;
  bool too_big = false;
  auto r = post(server, {}, sql, [&](std::string_view piece) {
    if (out.size() + piece.size() > max_bytes) {
      too_big = true;
      return false;
    }
    out.append(piece);
    return true;
  });
  if (too_big) return make_error("ClickHouse answer larger than " + std::to_string(max_bytes) + " bytes");
  if (!r) return r.error();
  return out;
}

Result<std::uint64_t> clickhouse_query_to_file(const ClickHouseServer& server, std::string_view sql,
                                               const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!f) return make_error(path.string() + ": cannot create");
  auto r = post(server, {}, sql, [&](std::string_view piece) {
    return std::fwrite(piece.data(), 1, piece.size(), f.get()) == piece.size();
  });
  if (!r) return r.error();
  if (std::fclose(f.release()) != 0) return make_error(path.string() + ": write failed");
  return r;
}

Result<bool> clickhouse_insert(const ClickHouseServer& server, std::string_view statement, std::string_view data) {
  auto r = post(server, statement, data, [](std::string_view) { return true; });
  if (!r) return r.error();
  return true;
}

}  // namespace hubguard::stars
