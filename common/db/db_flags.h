#ifndef ETNIK_COMMON_DB_DB_FLAGS_H_
#define ETNIK_COMMON_DB_DB_FLAGS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/clock/clock.h"
#include "common/db/database.h"

namespace etnik::db {

// Opens the service's system of record from --database_url (default
// sqlite://data/<service>.db, relative to the working directory) and --db_pool_size.
absl::StatusOr<std::unique_ptr<Database>> OpenDatabaseFromFlags(absl::string_view service, const Clock& clock);

}  // namespace etnik::db

#endif  // ETNIK_COMMON_DB_DB_FLAGS_H_
