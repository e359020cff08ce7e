// A thin, exception-free handle on one libpq connection. Every statement goes through
// exec() with its values as separate parameters (PQexecParams), never spliced into the SQL,
// so nothing a mirror or a repository name contains can change a query. Errors carry the
// server's message and the connection target with any password removed, so they can be
// printed as they are.
#pragma once

#include <libpq-fe.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/core/result.hpp"

namespace hubguard::hub {

// The rows of one statement's answer; values are text (libpq's text format), NULL as nullopt.
class PgRows {
 public:
  PgRows() = default;
  explicit PgRows(PGresult* result) : result_(result, &PQclear) {}

  int rows() const { return result_ ? PQntuples(result_.get()) : 0; }
  bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string text(int row, int column) const;  // "" for NULL
  std::optional<long long> integer(int row, int column) const;
  // Rows changed by an INSERT/UPDATE/DELETE.
  long long affected() const;

 private:
  std::shared_ptr<PGresult> result_;
};

class PgConnection {
 public:
  // `target` is a postgresql:// (or postgres://) URL or a libpq keyword string
  // ("host=... dbname=..."). Fails with the server's reason when no session can be opened.
  static Result<PgConnection> open(const std::string& target);

  // Runs one statement with text parameters ($1, $2, ...); nullopt parameters are NULL.
  Result<PgRows> exec(std::string_view sql, const std::vector<std::optional<std::string>>& params = {});

  // Runs fixed SQL text without parameters (BEGIN, COMMIT, the schema's DDL); may hold
  // several statements. Never pass it text built from data.
  Result<PgRows> command(const char* sql);

  const std::string& target_for_messages() const { return shown_target_; }

 private:
  Result<PgRows> checked(PGresult* raw) const;
  std::shared_ptr<PGconn> conn_;
  std::string shown_target_;
};

// The connection target as safe to print: a URL's password replaced by "***", a keyword
// string's password=... value likewise.
std::string redact_pg_target(const std::string& target);

}  // namespace hubguard::hub
