#include "services/hubs/cache/redis_catalogue_cache.h"

#include "common/log/log.h"

namespace etnik::hubs {
namespace {

redis::CacheOptions Options() {
  redis::CacheOptions options;
  options.service = "hubs";
  options.name = "catalogue";
  return options;
}

}  // namespace

RedisCatalogueCache::RedisCatalogueCache(redis::RedisPool& pool, prometheus::Registry& registry, absl::Duration ttl)
    : cache_(pool, Options(), registry), ttl_(ttl) {}

absl::StatusOr<std::string> RedisCatalogueCache::GetOrLoad(const std::string& key, const Loader& loader) {
  return cache_.GetOrLoad(key, ttl_, loader);
}

void RedisCatalogueCache::Invalidate(const std::vector<std::string>& keys) {
  absl::Status status = cache_.Invalidate(keys);
  if (!status.ok()) {
    // The write stands; this process bypasses the stale keys until Redis takes the deletion.
    log::Warning("catalogue invalidation deferred", {{"error", std::string(status.message())}});
  }
}

}  // namespace etnik::hubs
