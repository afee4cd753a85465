#ifndef ETNIK_COMMON_REDIS_NEAR_CACHE_H_
#define ETNIK_COMMON_REDIS_NEAR_CACHE_H_

// A process-local copy of scoped Cache values, so a hot read makes no Redis call at all.
//
// Reads: GetOrLoadScoped() answers from memory when this process holds a fresh copy of
// (scope, key); otherwise it calls Cache::GetOrLoadScoped() exactly as without a near cache
// and keeps the answer locally.
//
// Why a local copy cannot outlive a write (beyond the bounds below):
//  - Invalidate(scope) invalidates the scope in Redis, drops the local copies at once (this
//    process reads its own writes) and PUBLISHes the scope on `channel`. Every NearCache keeps
//    one SUBSCRIBE connection (own thread) and drops the scope when the message arrives.
//  - Local copies are served only while that subscription is live. When it breaks (Redis
//    down or paused: a PING is not answered within `ping_timeout`), every local copy is
//    dropped and reads go to Redis until it is subscribed again.
//  - A load stores its answer only if nothing was invalidated and the subscription did not
//    change while it ran (one epoch counter), so a load racing an invalidation, local or
//    remote, never leaves an old answer behind.
//  - A copy lives at most `max_age`: the bound for an invalidation whose PUBLISH failed or
//    whose message was lost while a dead connection went unnoticed (at most ping_timeout).
//
// Bounded by `max_entries` and `max_bytes` (keys plus values), least recently used out.
// Thread-safe. Metrics (label cache=<name>): etnik_cache_near_requests_total{result=hit|miss|
// bypass}, etnik_cache_near_invalidations_total{source=local|remote},
// etnik_cache_near_subscribed.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/cache.h"
#include "common/redis/redis_options.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace etnik::redis {

struct NearCacheOptions {
  bool enabled = true;
  std::string channel = "etnik:cache:invalidate";
  size_t max_entries = 10000;
  size_t max_bytes = size_t{64} << 20;
  absl::Duration max_age = absl::Seconds(2);
  // The subscription is checked with a PING this often and is down when none is answered in
  // ping_timeout; a broken one is retried every reconnect_delay.
  absl::Duration ping_interval = absl::Milliseconds(250);
  absl::Duration ping_timeout = absl::Milliseconds(750);
  absl::Duration reconnect_delay = absl::Milliseconds(100);
};

class NearCache {
 public:
  // Subscribes with a dedicated connection to the Redis of `cache` (its pool's options).
  NearCache(Cache& cache, NearCacheOptions options, prometheus::Registry& registry);
  ~NearCache();
  NearCache(const NearCache&) = delete;
  NearCache& operator=(const NearCache&) = delete;

  // As Cache::GetOrLoadScoped, from memory when possible.
  absl::StatusOr<std::string> GetOrLoadScoped(absl::string_view scope, absl::Duration scope_ttl,
                                              absl::string_view key, absl::Duration ttl,
                                              const Cache::Loader& loader);

  // Cache::Invalidate(scope), then drops the local copies and tells the other processes.
  // Returns the Cache's status (a failed PUBLISH only shortens nothing: max_age bounds it).
  absl::Status Invalidate(absl::string_view scope);

  // True while the subscription is live (local copies may be served).
  bool subscribed() const { return subscribed_.load(std::memory_order_acquire); }
  size_t size() const;
  size_t bytes() const;

 private:
  struct Entry {
    std::string scope;
    std::string key;
    std::string value;
    std::chrono::steady_clock::time_point stored;
  };
  using Lru = std::list<Entry>;

  void DropScope(absl::string_view scope) ABSL_LOCKS_EXCLUDED(mu_);
  void DropAll() ABSL_LOCKS_EXCLUDED(mu_);
  void Store(absl::string_view scope, absl::string_view key, std::string value, uint64_t epoch)
      ABSL_LOCKS_EXCLUDED(mu_);
  void Erase(Lru::iterator it) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SetSubscribed(bool live);
  void OnMessage(absl::string_view payload);

  void Run();           // the subscriber thread
  bool Subscribe();     // one connection's life; false when stopping
  bool WaitOrStop(absl::Duration d);

  Cache& cache_;
  const RedisOptions redis_;
  const NearCacheOptions options_;
  const std::string payload_prefix_;  // messages are Cache::RedisKey(scope)

  std::atomic<bool> subscribed_{false};
  // Bumped by every invalidation and subscription change; a load stores only if unchanged.
  std::atomic<uint64_t> epoch_{0};

  mutable absl::Mutex mu_;
  Lru lru_ ABSL_GUARDED_BY(mu_);  // most recent first
  absl::flat_hash_map<std::string, Lru::iterator> index_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;

  absl::Mutex stop_mu_;
  bool stop_ ABSL_GUARDED_BY(stop_mu_) = false;
  int wake_[2] = {-1, -1};  // a pipe that wakes the subscriber's poll() on shutdown

  prometheus::Counter* hits_ = nullptr;
  prometheus::Counter* misses_ = nullptr;
  prometheus::Counter* bypasses_ = nullptr;
  prometheus::Counter* local_invalidations_ = nullptr;
  prometheus::Counter* remote_invalidations_ = nullptr;
  prometheus::Gauge* subscribed_gauge_ = nullptr;

  std::thread thread_;
};

}  // namespace etnik::redis

#endif  // ETNIK_COMMON_REDIS_NEAR_CACHE_H_
