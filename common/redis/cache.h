#ifndef ETNIK_COMMON_REDIS_CACHE_H_
#define ETNIK_COMMON_REDIS_CACHE_H_

// Cache-aside over Redis for read-heavy answers (hub catalogue, schedules, calendar feeds).
//
// Reads: GetOrLoad() returns the cached bytes on a hit; on a miss it calls the loader (which
// reads the system of record), stores the answer with the TTL plus up to `ttl_jitter` more
// (so keys filled together do not expire together) and returns it. Concurrent misses of one
// key in this process share one loader call (and the first caller's loader and TTL). When
// Redis fails, is slow, or its breaker is open, the loader is called directly: a read never
// fails because of Redis. Every Redis call is bounded (pool wait, connect and command
// timeouts), a read makes no further Redis call after one fails, and while the breaker is
// open a read does not touch Redis at all.
//
// Writes: after committing to the store, call Invalidate(keys).
//
// Why reads after a write cannot go silently stale:
//  1. Lost-fill race. Each key has a version counter beside it. Invalidate() deletes the
//     value and increments the version in one Lua script. A miss reads the version *before*
//     calling the loader, and the fill is a Lua compare-and-set that writes only if the
//     version is unchanged. So a loader that read the store before a write can never put
//     its old answer back after the write's invalidation, in any process.
//  2. Redis unreachable during Invalidate(). The keys are kept in this process as pending
//     invalidations (etnik_cache_invalidations_total{result="failed"}, gauge
//     etnik_cache_pending_invalidations). Until they are flushed, reads of those keys skip
//     Redis and go to the loader, so this process always reads its own writes. Every later
//     call first retries the pending invalidations; while the breaker is open that retry is
//     the half-open probe, so Redis is trusted again only after the old values are gone
//     (result="recovered"). Other processes sharing Redis cannot be told while it is
//     unreachable: for them the staleness is bounded by the TTL and visible in the metric
//     above (alert on it). Pending invalidations live in memory; if this process dies with
//     some pending, the TTL is again the bound. Choose TTLs with that bound in mind.
//
// Scoped reads: GetOrLoadScoped(scope, key) caches many values under one scope (e.g. every
// listing of a service) that a single Invalidate(scope) drops at once. The scope's value is a
// random token; each scoped value is stored with the token it was loaded under, and only a
// value carrying the scope's current token is a hit. So a hit is ONE round trip (an MGET of
// the token and the value), and a load that began before an invalidation can only ever store
// its answer under a token that is already gone: every token is written once, before any load
// under it starts (see GetOrLoadScoped).
//
// Keys: "cache:<service>:<name>:<key>" for values, "cachever:<service>:<name>:<key>" for
// versions and "cachein:<service>:<name>:<scope>:<key>" for scoped values, so services sharing
// one Redis never collide.
//
// A scoped hit with no Redis call at all: NearCache (near_cache.h) in front of this class.
//
// Thread-safe. Metrics (label cache=<name>): etnik_cache_requests_total{result=hit|miss|
// error|bypass}, etnik_cache_invalidations_total{result=ok|failed|recovered},
// etnik_cache_pending_invalidations.

#include <atomic>
#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/redis/redis_pool.h"
#include "common/redis/single_flight.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace etnik::redis {

struct CacheOptions {
  std::string service;      // key namespace, e.g. "hubs"
  std::string name;         // this cache, e.g. "catalogue"; also the metric label
  double ttl_jitter = 0.1;  // a fill lives ttl * (1 + U[0, ttl_jitter))
  // How long a key's version outlives its last invalidation; must exceed any loader call.
  absl::Duration version_ttl = absl::Hours(1);
};

class Cache {
 public:
  using Loader = std::function<absl::StatusOr<std::string>()>;

  Cache(RedisPool& pool, CacheOptions options, prometheus::Registry& registry);

  // The cached value of `key`, or the loader's answer. Errors come only from the loader.
  // A ttl <= 0 means "do not cache": the loader is called every time.
  absl::StatusOr<std::string> GetOrLoad(absl::string_view key, absl::Duration ttl,
                                        const Loader& loader);

  // The value of `key` within `scope`, or the loader's answer; a hit is one Redis round trip.
  // The scope's token lives `scope_ttl` (its expiry drops the whole scope); Invalidate(scope)
  // drops every value of the scope. Errors come only from the loader; ttl <= 0: no caching.
  absl::StatusOr<std::string> GetOrLoadScoped(absl::string_view scope, absl::Duration scope_ttl,
                                              absl::string_view key, absl::Duration ttl,
                                              const Loader& loader);

  // Drops the cached values of `keys` after a write. Returns the Redis error when the
  // invalidation had to be deferred (see above); the write itself should still succeed.
  absl::Status Invalidate(absl::Span<const std::string> keys);
  absl::Status Invalidate(absl::string_view key);

  // Retries deferred invalidations now; OK when none remain. GetOrLoad/Invalidate call it.
  absl::Status FlushPending();
  size_t pending_invalidations() const;

  // After another process invalidated a scope: readers arriving from now on do not join a
  // load of this process that began before (see NearCache).
  void ForgetFlights() { invalidations_.fetch_add(1, std::memory_order_acq_rel); }

  RedisPool& pool() { return pool_; }
  const CacheOptions& options() const { return options_; }

  // Where `key` is stored in Redis (for tests and operators).
  std::string RedisKey(absl::string_view key) const;
  std::string VersionKey(absl::string_view key) const;
  std::string ScopedKey(absl::string_view scope, absl::string_view key) const;

 private:
  enum class Result { kHit, kMiss, kError, kBypass };
  void Count(Result r);
  absl::StatusOr<std::string> LoadAndFill(const std::string& data_key, absl::string_view key,
                                          absl::Duration ttl, const Loader& loader);
  absl::StatusOr<std::string> LoadAndFillScoped(const std::string& scope_key,
                                                absl::string_view scope, absl::Duration scope_ttl,
                                                std::string token, const std::string& data_key,
                                                absl::Duration ttl, const Loader& loader);
  // A single-flight key that no reader arriving after a later Invalidate() shares.
  std::string FlightKey(absl::string_view token, absl::string_view data_key) const;
  bool IsPending(absl::string_view key) const;
  absl::Status RunInvalidate(absl::Span<const std::string> keys);

  RedisPool& pool_;
  const CacheOptions options_;
  const std::string data_prefix_;
  const std::string version_prefix_;
  const std::string scoped_prefix_;
  SingleFlight flights_;

  prometheus::Counter* requests_[4] = {};
  prometheus::Counter* invalidated_ok_ = nullptr;
  prometheus::Counter* invalidated_failed_ = nullptr;
  prometheus::Counter* invalidated_recovered_ = nullptr;
  prometheus::Gauge* pending_gauge_ = nullptr;

  // key -> sequence of its latest failed invalidation, so a flush that raced with a newer
  // failure does not forget the newer one.
  mutable absl::Mutex pending_mu_;
  absl::flat_hash_map<std::string, uint64_t> pending_ ABSL_GUARDED_BY(pending_mu_);
  uint64_t pending_seq_ ABSL_GUARDED_BY(pending_mu_) = 0;
  std::atomic<size_t> pending_count_{0};
  // Invalidate() calls so far; scoped loads are shared only within one of these epochs.
  std::atomic<uint64_t> invalidations_{0};
};

}  // namespace etnik::redis

#endif  // ETNIK_COMMON_REDIS_CACHE_H_
