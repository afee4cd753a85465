#include "common/server/service_deps.h"

#include "absl/strings/str_cat.h"
#include "common/auth/auth_flags.h"
#include "common/db/db_flags.h"
#include "common/redis/redis_flags.h"

namespace etnik::server {

absl::StatusOr<ServiceDeps> ServiceDepsFromFlags(absl::string_view service, const Clock& clock,
                                                 prometheus::Registry& registry) {
  absl::StatusOr<auth::Authenticator> authenticator = auth::AuthenticatorFromFlags(clock);
  if (!authenticator.ok()) {
    return absl::Status(authenticator.status().code(),
                        absl::StrCat("token verification: ", authenticator.status().message()));
  }
  absl::StatusOr<std::unique_ptr<db::Database>> database = db::OpenDatabaseFromFlags(service, clock);
  if (!database.ok()) {
    return absl::Status(database.status().code(), absl::StrCat("database: ", database.status().message()));
  }
  absl::StatusOr<std::unique_ptr<redis::RedisPool>> redis = redis::RedisPoolFromFlags(clock, registry);
  if (!redis.ok()) return absl::Status(redis.status().code(), absl::StrCat("redis: ", redis.status().message()));
  return ServiceDeps{*std::move(authenticator), *std::move(database), *std::move(redis)};
}

}  // namespace etnik::server
