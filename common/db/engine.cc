#include "common/db/engine.h"

#include <libpq-fe.h>

#include "absl/strings/str_cat.h"
#include "common/db/db_errors.h"
#include "soci/postgresql/soci-postgresql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace etnik::db {

absl::string_view EngineName(Engine engine) {
  return engine == Engine::kSqlite ? "sqlite" : "postgresql";
}

Engine EngineOf(soci::session& session) {
  return session.get_backend_name() == "postgresql" ? Engine::kPostgres : Engine::kSqlite;
}

absl::Status ExecScript(soci::session& session, const std::string& sql) {
  return CatchDbErrors([&]() -> absl::Status {
    if (EngineOf(session) == Engine::kSqlite) {
      auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
      char* error = nullptr;
      // soci-sqlite3.h declares the SQLite API inside namespace sqlite_api.
      int rc = sqlite_api::sqlite3_exec(backend->conn_, sql.c_str(), nullptr, nullptr, &error);
      if (rc == SQLITE_OK) return absl::OkStatus();
      std::string message = error != nullptr ? error : sqlite_api::sqlite3_errstr(rc);
      sqlite_api::sqlite3_free(error);
      return SqliteErrorStatus(sqlite_api::sqlite3_extended_errcode(backend->conn_), message);
    }
    auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
    PGresult* result = PQexec(backend->conn_, sql.c_str());
    ExecStatusType state = PQresultStatus(result);
    absl::Status status;
    if (state != PGRES_COMMAND_OK && state != PGRES_TUPLES_OK && state != PGRES_EMPTY_QUERY) {
      const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      std::string message = result != nullptr ? PQresultErrorMessage(result)
                                              : PQerrorMessage(backend->conn_);
      if (sqlstate == nullptr) sqlstate = PQstatus(backend->conn_) == CONNECTION_BAD ? "08006" : "XX000";
      status = PostgresErrorStatus(sqlstate, message);
    }
    PQclear(result);
    return status;
  });
}

absl::Status ValidateIdentifier(absl::string_view name) {
  bool ok = !name.empty() && name.size() <= 40 && name[0] >= 'a' && name[0] <= 'z';
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "'", name, "' is not a valid SQL identifier here (lower_snake_case, at most 40 characters)"));
}

absl::StatusOr<bool> TableExists(soci::session& session, absl::string_view table) {
  return CatchDbErrors([&]() -> absl::StatusOr<bool> {
    std::string name(table);
    int count = 0;
    if (EngineOf(session) == Engine::kSqlite) {
      session << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :name",
          soci::use(name), soci::into(count);
    } else {
      session << "SELECT COUNT(*) FROM pg_catalog.pg_tables"
                 " WHERE tablename = :name AND schemaname = ANY (current_schemas(false))",
          soci::use(name), soci::into(count);
    }
    return count > 0;
  });
}

}  // namespace etnik::db
