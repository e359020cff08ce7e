// The PostgreSQL schema of a distributed hub scan: the queue of repositories (one row each,
// with its state and the lease of the worker scanning it) and the results (one row per file,
// UNIQUE per repository and path, so a file can never hold two verdicts). The schema is
// versioned in hubguard_meta and created on first use; several workers starting at once
// serialise on an advisory lock, so none sees a half-made schema.
#pragma once

#include "hubguard/core/result.hpp"
#include "hubguard/hub/pg_connection.hpp"

namespace hubguard::hub {

inline constexpr int kPgSchemaVersion = 1;

// Creates the tables if absent; fails when the database holds a newer schema than this
// build understands (an older binary must not write rows a newer one reads differently).
Result<bool> ensure_pg_schema(PgConnection& db);

}  // namespace hubguard::hub
