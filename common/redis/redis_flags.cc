#include "common/redis/redis_flags.h"

#include "absl/flags/flag.h"
#include "common/redis/redis_options.h"

ABSL_FLAG(std::string, redis_url, "redis://127.0.0.1:6379", "Shared Redis: redis://host:port[/db]");
ABSL_FLAG(int, redis_pool_size, 8, "Redis connections per process");
ABSL_FLAG(absl::Duration, redis_timeout, absl::Milliseconds(250),
          "Redis connect and command timeout");
ABSL_FLAG(absl::Duration, cache_near_max_age, absl::Seconds(2),
          "Longest a process keeps a cached listing in memory (invalidations drop it sooner); "
          "0 reads every time through Redis");

namespace etnik::redis {

NearCacheOptions NearCacheOptionsFromFlags() {
  NearCacheOptions options;
  options.max_age = absl::GetFlag(FLAGS_cache_near_max_age);
  options.enabled = options.max_age > absl::ZeroDuration();
  return options;
}

absl::StatusOr<std::unique_ptr<RedisPool>> RedisPoolFromFlags(const Clock& clock,
                                                              prometheus::Registry& registry) {
  RedisOptions base;
  base.pool_size = absl::GetFlag(FLAGS_redis_pool_size);
  base.connect_timeout = absl::GetFlag(FLAGS_redis_timeout);
  base.command_timeout = absl::GetFlag(FLAGS_redis_timeout);
  absl::StatusOr<RedisOptions> options = ParseRedisUrl(absl::GetFlag(FLAGS_redis_url), base);
  if (!options.ok()) return options.status();
  return std::make_unique<RedisPool>(*std::move(options), clock, registry);
}

}  // namespace etnik::redis
