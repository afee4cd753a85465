#include "common/db/migrations.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/db/time_micros.h"
#include "soci/soci.h"

namespace etnik::db {
namespace {

// Any constant works: each service owns its database. Spells "etnikmig".
constexpr long long kMigrationLockKey = 0x65746e696b6d6967LL;

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at_us BIGINT NOT NULL)";

absl::Status Validate(const std::vector<Migration>& migrations) {
  int previous = 0;
  for (const Migration& m : migrations) {
    if (m.version <= previous) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration versions must be positive and strictly increasing; ", m.version,
          " follows ", previous));
    }
    if (m.name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("migration ", m.version, " has no name"));
    }
    for (Engine engine : {Engine::kSqlite, Engine::kPostgres}) {
      if (m.SqlFor(engine).empty()) {
        return absl::InvalidArgumentError(absl::StrCat("migration ", m.version, " has no SQL for ",
                                                       EngineName(engine)));
      }
    }
    previous = m.version;
  }
  return absl::OkStatus();
}

std::map<int, std::string> ReadApplied(soci::session& session) {
  std::map<int, std::string> applied;
  soci::rowset<soci::row> rows = (session.prepare << "SELECT version, name FROM schema_migrations");
  for (const soci::row& row : rows) {
    // The declared INTEGER maps to int on both engines.
    applied[row.get<int>(0)] = row.get<std::string>(1);
  }
  return applied;
}

// Checks the recorded history against the binary's list; returns the next migration to apply.
absl::StatusOr<const Migration*> NextPending(const std::map<int, std::string>& applied,
                                             const std::vector<Migration>& migrations) {
  const int newest_known = migrations.empty() ? 0 : migrations.back().version;
  if (!applied.empty() && applied.rbegin()->first > newest_known) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the database schema is at version ", applied.rbegin()->first,
        ", newer than this binary knows (its newest migration is ", newest_known,
        "); run a newer release of this service against this database"));
  }
  std::map<int, const Migration*> known;
  for (const Migration& m : migrations) known[m.version] = &m;
  for (const auto& [version, name] : applied) {
    auto it = known.find(version);
    if (it == known.end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the database has migration ", version, " (", name, ") that this binary does not know"));
    }
    if (it->second->name != name) {
      return absl::FailedPreconditionError(absl::StrCat("migration ", version, " is recorded as '",
                                                        name, "' but this binary calls it '",
                                                        it->second->name, "'"));
    }
  }
  const int newest_applied = applied.empty() ? 0 : applied.rbegin()->first;
  for (const Migration& m : migrations) {
    if (applied.count(m.version) > 0) continue;
    if (m.version < newest_applied) {
      return absl::FailedPreconditionError(absl::StrCat("migration ", m.version, " (", m.name,
                                                        ") is missing below applied version ",
                                                        newest_applied));
    }
    return &m;
  }
  return nullptr;
}

}  // namespace

const std::string& Migration::SqlFor(Engine engine) const {
  if (engine == Engine::kSqlite && !sqlite_sql.empty()) return sqlite_sql;
  if (engine == Engine::kPostgres && !postgres_sql.empty()) return postgres_sql;
  return sql;
}

absl::StatusOr<int> ApplyMigrations(Database& db, const std::vector<Migration>& migrations) {
  absl::Status status = Validate(migrations);
  if (!status.ok()) return status;
  const Engine engine = db.engine();
  for (bool done = false; !done;) {
    status = db.InTransaction(TxMode::kWriteReadCommitted, [&](soci::session& session) {
      done = false;
      if (engine == Engine::kPostgres) {
        // Held to the end of this transaction; a second replica waits here, then sees our rows.
        session << "SELECT pg_advisory_xact_lock(:key)", soci::use(kMigrationLockKey);
      }
      absl::Status s = ExecScript(session, kCreateTable);
      if (!s.ok()) return s;
      absl::StatusOr<const Migration*> next = NextPending(ReadApplied(session), migrations);
      if (!next.ok()) return next.status();
      if (*next == nullptr) {
        done = true;
        return absl::OkStatus();
      }
      const Migration& m = **next;
      s = ExecScript(session, m.SqlFor(engine));
      if (!s.ok()) {
        return absl::Status(s.code(), absl::StrCat("migration ", m.version, " (", m.name,
                                                   ") failed: ", s.message()));
      }
      long long applied_at = TimeToMicros(db.clock().Now());
      int version = m.version;
      std::string name = m.name;
      session << "INSERT INTO schema_migrations (version, name, applied_at_us) "
                 "VALUES (:version, :name, :applied_at)",
          soci::use(version), soci::use(name), soci::use(applied_at);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
  }
  return SchemaVersion(db);
}

absl::StatusOr<int> SchemaVersion(Database& db) {
  int version = 0;
  absl::Status status = db.InTransaction(TxMode::kRead, [&](soci::session& session) {
    version = 0;
    // The table does not exist yet on a fresh database.
    absl::StatusOr<bool> exists = TableExists(session, kSchemaMigrationsTable);
    if (!exists.ok()) return exists.status();
    if (!*exists) return absl::OkStatus();
    soci::indicator ind = soci::i_null;
    session << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
    if (ind != soci::i_ok) version = 0;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return version;
}

}  // namespace etnik::db
