#ifndef ETNIK_COMMON_SERVER_SERVICE_DEPS_H_
#define ETNIK_COMMON_SERVER_SERVICE_DEPS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/authenticator.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "common/redis/redis_pool.h"
#include "prometheus/registry.h"

namespace etnik::server {

// What every data service is wired with, built from the common flags (--jwt_*, --database_url,
// --redis_url, ...). Start-up fails early and clearly on a bad key file or database URL.
struct ServiceDeps {
  auth::Authenticator authenticator;
  std::unique_ptr<db::Database> database;
  std::unique_ptr<redis::RedisPool> redis;
};

absl::StatusOr<ServiceDeps> ServiceDepsFromFlags(absl::string_view service, const Clock& clock,
                                                 prometheus::Registry& registry);

}  // namespace etnik::server

#endif  // ETNIK_COMMON_SERVER_SERVICE_DEPS_H_
