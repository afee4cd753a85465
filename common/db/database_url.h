#ifndef ETNIK_COMMON_DB_DATABASE_URL_H_
#define ETNIK_COMMON_DB_DATABASE_URL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/db/engine.h"

namespace etnik::db {

// A database URL, split into the engine and what that engine's driver is given.
struct DatabaseUrl {
  Engine engine;
  // SQLite: the file path. PostgreSQL: the equivalent libpq key=value connection string.
  std::string target;
};

// Accepted forms:
//   sqlite:///var/lib/etnik/hubs.db      (absolute path; sqlite://data/hubs.db is relative)
//   postgresql://user[:password]@host:port/dbname[?param=value...]   (postgres:// too; any libpq
//   parameter may follow, connect_timeout defaults to 5 seconds)
// A SQLite path may not contain spaces, quotes or '=' (SOCI's connect string cannot carry them).
absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(absl::string_view url);

}  // namespace etnik::db

#endif  // ETNIK_COMMON_DB_DATABASE_URL_H_
