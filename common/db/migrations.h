#ifndef ETNIK_COMMON_DB_MIGRATIONS_H_
#define ETNIK_COMMON_DB_MIGRATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/database.h"

namespace etnik::db {

// One numbered schema change. `sql` serves both engines unless an engine has its own text.
// Scripts may hold several statements; they run inside the migration's transaction.
struct Migration {
  int version = 0;   // 1, 2, 3, ... strictly increasing within a service
  std::string name;  // short and stable, e.g. "create_sessions"; recorded with the version
  std::string sql;
  std::string sqlite_sql;    // replaces `sql` on SQLite when not empty
  std::string postgres_sql;  // replaces `sql` on PostgreSQL when not empty

  const std::string& SqlFor(Engine engine) const;
};

// The table recording applied migrations: version, name, applied_at_us (UTC microseconds).
inline constexpr char kSchemaMigrationsTable[] = "schema_migrations";

// Brings the schema up to the newest of `migrations` (given in ascending version order), one
// migration per transaction, and returns the resulting schema version. Safe when several
// replicas start at once: PostgreSQL serialises them with pg_advisory_xact_lock, SQLite with
// BEGIN IMMEDIATE, and each re-reads the applied set under that lock.
// FAILED_PRECONDITION when the database is ahead of this binary (names both versions), when a
// recorded migration's name differs from the binary's, or when an older migration is missing
// below an applied one. INVALID_ARGUMENT for a malformed list.
absl::StatusOr<int> ApplyMigrations(Database& db, const std::vector<Migration>& migrations);

// The highest applied version, 0 for an empty database.
absl::StatusOr<int> SchemaVersion(Database& db);

}  // namespace etnik::db

#endif  // ETNIK_COMMON_DB_MIGRATIONS_H_
