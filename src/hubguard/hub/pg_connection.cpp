#include "hubguard/hub/pg_connection.hpp"

#include <cstdlib>
#include <regex>

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

std::string redact_pg_target(const std::string& target) {
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  static const std::regex url_password(R"(^(postgres(?:ql)?://[^:/@?#]*):[^@/?#]*@)");
  static const std::regex keyword_password(R"((^|\s)password\s*=\s*('([^'\\]|\\.)*'|\S+))");
  std::string s = std::regex_replace(target, url_password, "$1:***@");
  s = std::regex_replace(s, keyword_password, "$1password=***");
  // A URL query parameter ?password=... as well.
  static const std::regex query_password(R"(([?&]password=)[^&]*)");
  return std::regex_replace(s, query_password, "$1***");
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

Result<PgRows> PgConnection::command(const char* sql) {
  if (!conn_) return make_error("PostgreSQL: not connected");
  PGresult* raw = PQexec(conn_.get(), sql);
  if (raw == nullptr)
    return make_error("PostgreSQL at " + shown_target_ + ": " + one_line(PQerrorMessage(conn_.get())));
  PgRows rows(raw);
  auto status = PQresultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    return make_error("PostgreSQL at " + shown_target_ + ": " + one_line(PQresultErrorMessage(raw)));
  return rows;
}

Result<PgRows> PgConnection::exec(std::string_view sql, const std::vector<std::optional<std::string>>& params) {
  if (!conn_) return make_error("PostgreSQL: not connected");
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  const std::string statement(sql);
  PGresult* raw = PQexecParams(conn_.get(), statement.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
  if (raw == nullptr)
    return make_error("PostgreSQL at " + shown_target_ + ": " + one_line(PQerrorMessage(conn_.get())));
  PgRows rows(raw);
  auto status = PQresultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    return make_error("PostgreSQL at " + shown_target_ + ": " + one_line(PQresultErrorMessage(raw)));
  return rows;
}

}  // namespace hubguard::hub
