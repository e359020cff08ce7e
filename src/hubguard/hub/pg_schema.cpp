#include "hubguard/hub/pg_schema.hpp"

#include <string>

namespace hubguard::hub {
namespace {

// The queue: `root` scopes a queue to one mirror (workers on other machines mount it at the
// same path); `path` is the repository id reported, `dir` where its files are under root.
// root and dir are bytea because folder names are bytes, not necessarily UTF-8, and must
// come back exactly; `path` is their display form.
// `attempts` counts claims: a claim is identified by (lease_owner, attempts), so a worker id
// reused after a crash can never complete an older claim of its own.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS hubguard_meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
CREATE TABLE IF NOT EXISTS hubguard_repositories (
  id            bigserial PRIMARY KEY,
  root          bytea NOT NULL,
  path          text NOT NULL,
  dir           bytea NOT NULL,
  kind          text NOT NULL,
  state         text NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'done')),
  lease_owner   text,
  lease_expires timestamptz,
  attempts      integer NOT NULL DEFAULT 0,
  verdict       text,
  contents      text,
  enqueued_at   timestamptz NOT NULL DEFAULT now(),
  claimed_at    timestamptz,
  finished_at   timestamptz,
  finished_by   text,
  UNIQUE (root, dir)
);
CREATE INDEX IF NOT EXISTS hubguard_repositories_claimable
  ON hubguard_repositories (root, state, id);
CREATE TABLE IF NOT EXISTS hubguard_results (
  repository      bigint NOT NULL REFERENCES hubguard_repositories (id) ON DELETE CASCADE,
  file_path       text NOT NULL,
  sha256          text NOT NULL,
  verdict         text NOT NULL,
  report          text NOT NULL,
  scanner_version text NOT NULL,
  scanned_by      text NOT NULL,
  scanned_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (repository, file_path)
);
)sql";

Result<bool> rollback_with(PgConnection& db, Error error) {
  (void)db.command("ROLLBACK");
  return error;
}

}  // namespace

Result<bool> ensure_pg_schema(PgConnection& db) {
  if (auto r = db.command("BEGIN"); !r) return r.error();
  // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog; the lock makes
  // the first worker create everything while the others wait, then find it made.
  if (auto r = db.command("SELECT pg_advisory_xact_lock(7418620421)"); !r) return rollback_with(db, r.error());
  if (auto r = db.command(kSchema); !r) return rollback_with(db, r.error());
  auto version = db.exec("SELECT value FROM hubguard_meta WHERE key = 'schema_version'");
  if (!version) return rollback_with(db, version.error());
  if (version->rows() == 0) {
    auto set = db.exec("INSERT INTO hubguard_meta (key, value) VALUES ('schema_version', $1)",
                       {std::to_string(kPgSchemaVersion)});
    if (!set) return rollback_with(db, set.error());
  } else {
    const std::string found = version->text(0, 0);
    if (found != std::to_string(kPgSchemaVersion))
      return rollback_with(db, make_error("the database at " + db.target_for_messages() +
                                          " holds hubguard schema version " + found + "; this build writes version " +
                                          std::to_string(kPgSchemaVersion)));
  }
  if (auto r = db.command("COMMIT"); !r) return r.error();
  return true;
}

}  // namespace hubguard::hub
