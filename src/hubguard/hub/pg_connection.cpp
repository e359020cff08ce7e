#include "hubguard/hub/pg_connection.hpp"

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace hubguard::hub {
namespace {

// libpq's messages end with a newline (sometimes several lines); one line reads better in
// "hubguard: error: ..." output.
std::string one_line(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  for (char& c : s)
    if (c == '\n') c = ' ';
  return s;
}

}  // namespace

std::string PgRows::text(int row, int column) const {
  if (!result_ || row >= rows() || column >= PQnfields(result_.get()) || is_null(row, column)) return {};
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::optional<long long> PgRows::integer(int row, int column) const {
  if (!result_ || row >= rows() || column >= PQnfields(result_.get()) || is_null(row, column)) return std::nullopt;
  const char* s = PQgetvalue(result_.get(), row, column);
  char* end = nullptr;
  long long v = std::strtoll(s, &end, 10);
  if (end == s) return std::nullopt;
  return v;
}

long long PgRows::affected() const {
  if (!result_) return 0;
  const char* s = PQcmdTuples(result_.get());
  return (s && *s) ? std::strtoll(s, nullptr, 10) : 0;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// postgresql://user:secret@host/db -> postgresql://user:***@host/db
std::string redact_url_password(std::string s) {
  std::size_t scheme_end = 0;
  for (std::string_view scheme : {"postgresql://", "postgres://"})
    if (s.starts_with(scheme)) scheme_end = scheme.size();
  if (scheme_end == 0) return s;
  const auto authority_end = std::min(s.find_first_of("/?#", scheme_end), s.size());
  const auto at = s.find('@', scheme_end);
  if (at == std::string::npos || at > authority_end) return s;
  const auto colon = s.find(':', scheme_end);
  if (colon == std::string::npos || colon > at) return s;
  return s.substr(0, colon + 1) + "***" + s.substr(at);
}

// password=secret / password = 'se cr\'et' in a keyword string -> password=***
std::string redact_keyword_password(const std::string& s) {
  static constexpr std::string_view kKey = "password";
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const bool at_word_start = i == 0 || is_space(s[i - 1]);
    if (at_word_start && s.compare(i, kKey.size(), kKey) == 0) {
      std::size_t j = i + kKey.size();
      while (j < s.size() && is_space(s[j])) ++j;
      if (j < s.size() && s[j] == '=') {
        ++j;
        while (j < s.size() && is_space(s[j])) ++j;
        if (j < s.size() && s[j] == '\'') {
          for (++j; j < s.size() && s[j] != '\''; ++j)
            if (s[j] == '\\') ++j;
          j = std::min(j + 1, s.size());
        } else {
          while (j < s.size() && !is_space(s[j])) ++j;
        }
        out += "password=***";
        i = j;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

// ?password=secret&x=1 -> ?password=***&x=1
std::string redact_query_password(const std::string& s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if ((s[i] == '?' || s[i] == '&') && s.compare(i + 1, 9, "password=") == 0) {
      out += s.substr(i, 10) + "***";
      i = std::min(s.find('&', i + 10), s.size());
      continue;
    }
    out += s[i++];
  }
  return out;
}

}  // namespace

// Hand-written rather than std::regex: g++ 12's <regex> trips -Wmaybe-uninitialized under the
// sanitizer build, and these three shapes are simple to scan.
std::string redact_pg_target(const std::string& target) {
  return redact_query_password(redact_keyword_password(redact_url_password(target)));
}

Result<PgConnection> PgConnection::open(const std::string& target) {
  PgConnection c;
  c.shown_target_ = redact_pg_target(target);
  // connect_timeout bounds a silent network. The target comes last so that what the user
  // wrote (a URL or keyword string, expanded by libpq) overrides these defaults.
  const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname", nullptr};
  const char* values[] = {"10", "hubguard", "UTF8", target.c_str(), nullptr};
  PGconn* raw = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (raw == nullptr) return make_error("cannot connect to PostgreSQL at " + c.shown_target_ + ": out of memory");
  c.conn_.reset(raw, &PQfinish);
  if (PQstatus(raw) != CONNECTION_OK)
    return make_error("cannot connect to PostgreSQL at " + c.shown_target_ + ": " + one_line(PQerrorMessage(raw)));
  // Warnings (NOTICE: relation already exists ...) are not errors; keep them off stderr.
  PQsetNoticeProcessor(raw, [](void*, const char*) {}, nullptr);
  return c;
}

// Takes ownership of a statement's result: an error when there is none (connection lost)
// or it failed, the rows otherwise.
Result<PgRows> PgConnection::checked(PGresult* raw) const {
  if (raw == nullptr)
    return make_error("PostgreSQL at " + shown_target_ + ": " + one_line(PQerrorMessage(conn_.get())));
  PgRows rows(raw);
  auto status = PQresultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    return make_error("PostgreSQL at " + shown_target_ + ": " + one_line(PQresultErrorMessage(raw)));
  return rows;
}

Result<PgRows> PgConnection::command(const char* sql) {
  if (!conn_) return make_error("PostgreSQL: not connected");
  PGresult* raw = PQexec(conn_.get(), sql);
  return checked(raw);
}

Result<PgRows> PgConnection::exec(std::string_view sql, const std::vector<std::optional<std::string>>& params) {
  if (!conn_) return make_error("PostgreSQL: not connected");
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  const std::string statement(sql);
  PGresult* raw = PQexecParams(conn_.get(), statement.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
  return checked(raw);
}

}  // namespace hubguard::hub
