#ifndef ETNIK_SERVICES_HUBS_CACHE_REDIS_CATALOGUE_CACHE_H_
#define ETNIK_SERVICES_HUBS_CACHE_REDIS_CATALOGUE_CACHE_H_

// The public catalogue's cache on the shared Redis (common/redis Cache: versioned fills,
// single-flight, a breaker that sends reads to the store while Redis is down). Keys live
// under "cache:hubs:catalogue:"; metrics carry cache="catalogue".

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/redis/cache.h"
#include "common/redis/redis_pool.h"
#include "prometheus/registry.h"
#include "services/hubs/domain/ports.h"

namespace etnik::hubs {

class RedisCatalogueCache final : public CatalogueCache {
 public:
  // `ttl` bounds how long another process may serve a value whose invalidation could not
  // reach Redis; this process always reads its own writes (see common/redis/cache.h).
  RedisCatalogueCache(redis::RedisPool& pool, prometheus::Registry& registry, absl::Duration ttl);

  absl::StatusOr<std::string> GetOrLoad(const std::string& key, const Loader& loader) override;
  void Invalidate(const std::vector<std::string>& keys) override;

  redis::Cache& cache() { return cache_; }

 private:
  redis::Cache cache_;
  const absl::Duration ttl_;
};

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_CACHE_REDIS_CATALOGUE_CACHE_H_
