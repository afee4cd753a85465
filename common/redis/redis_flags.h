#ifndef ETNIK_COMMON_REDIS_REDIS_FLAGS_H_
#define ETNIK_COMMON_REDIS_REDIS_FLAGS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/clock/clock.h"
#include "common/redis/near_cache.h"
#include "common/redis/redis_pool.h"
#include "prometheus/registry.h"

namespace etnik::redis {

// The shared Redis from --redis_url (redis://127.0.0.1:6379), --redis_pool_size and
// --redis_timeout. Connections are made on demand, so a Redis that is down at start-up only
// shows in metrics; INVALID_ARGUMENT for a bad URL.
absl::StatusOr<std::unique_ptr<RedisPool>> RedisPoolFromFlags(const Clock& clock,
                                                              prometheus::Registry& registry);

// NearCacheOptions with --cache_near_max_age (default 2s; 0 turns the near cache off).
NearCacheOptions NearCacheOptionsFromFlags();

}  // namespace etnik::redis

#endif  // ETNIK_COMMON_REDIS_REDIS_FLAGS_H_
