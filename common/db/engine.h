#ifndef ETNIK_COMMON_DB_ENGINE_H_
#define ETNIK_COMMON_DB_ENGINE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::db {

// The SQL engines one code path serves.
enum class Engine { kSqlite, kPostgres };

// "sqlite" or "postgresql", for messages and metrics labels.
absl::string_view EngineName(Engine engine);

// The engine behind an open SOCI session (by its backend name).
Engine EngineOf(soci::session& session);

// Runs a script of one or more statements, as migrations need, through the engine's native API
// (SOCI prepares only the first statement of a string). Errors map like every other database
// error (see db_errors.h). Never throws.
absl::Status ExecScript(soci::session& session, const std::string& sql);

// Checks a table or constraint name built into SQL text (never a value: values are bound):
// lower_snake_case, starting with a letter, at most 40 characters so suffixes stay within
// PostgreSQL's 63-character limit.
absl::Status ValidateIdentifier(absl::string_view name);

// Whether a table of that name exists (in the current schema search path on PostgreSQL).
absl::StatusOr<bool> TableExists(soci::session& session, absl::string_view table);

}  // namespace etnik::db

#endif  // ETNIK_COMMON_DB_ENGINE_H_
