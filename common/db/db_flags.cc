#include "common/db/db_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, database_url, "",
          "sqlite:///path/file.db (default sqlite://data/<service>.db) or postgresql://user@host:port/db");
ABSL_FLAG(int, db_pool_size, 8, "Pooled database connections");

namespace etnik::db {

absl::StatusOr<std::unique_ptr<Database>> OpenDatabaseFromFlags(absl::string_view service, const Clock& clock) {
  std::string url = absl::GetFlag(FLAGS_database_url);
  if (url.empty()) url = absl::StrCat("sqlite://data/", service, ".db");
  DatabaseOptions options;
  options.pool_size = absl::GetFlag(FLAGS_db_pool_size);
  options.clock = &clock;
  return Database::Open(url, options);
}

}  // namespace etnik::db
