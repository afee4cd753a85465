#include "common/redis/cache.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "prometheus/family.h"

namespace etnik::redis {
namespace {

// KEYS: value, version. ARGV: version seen before loading ("" if none), value, ttl in ms.
// Writes only if no invalidation happened since the version was read.
constexpr char kFillScript[] = R"lua(
local v = redis.call('GET', KEYS[2])
if v == false then v = '' end
if v ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
)lua";

// KEYS: value1, version1, value2, version2, ... ARGV: version ttl in ms.
constexpr char kInvalidateScript[] = R"lua(
for i = 1, #KEYS, 2 do
  redis.call('DEL', KEYS[i])
  redis.call('INCR', KEYS[i + 1])
  redis.call('PEXPIRE', KEYS[i + 1], ARGV[1])
end
return #KEYS / 2
)lua";

// KEYS: scope. ARGV: a new token, ttl in ms. The scope's current token, made now if missing.
constexpr char kTokenScript[] = R"lua(
local t = redis.call('GET', KEYS[1])
if t then return t end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
)lua";

// Separates a scoped value's token from its bytes (tokens are hex).
constexpr char kTokenEnd = '\n';

std::string NewToken() {
  thread_local absl::BitGen gen;
  return absl::StrCat(absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16),
                      absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16));
}

constexpr const char* kResultNames[] = {"hit", "miss", "error", "bypass"};

int64_t JitteredMillis(absl::Duration ttl, double jitter) {
  thread_local absl::BitGen gen;
  const double base = static_cast<double>(absl::ToInt64Milliseconds(ttl));
  const double extra = jitter > 0 ? absl::Uniform(gen, 0.0, jitter) : 0.0;
  return std::max<int64_t>(1, static_cast<int64_t>(base * (1.0 + extra)));
}

}  // namespace

Cache::Cache(RedisPool& pool, CacheOptions options, prometheus::Registry& registry)
    : pool_(pool),
      options_(std::move(options)),
      data_prefix_(absl::StrCat("cache:", options_.service, ":", options_.name, ":")),
      version_prefix_(absl::StrCat("cachever:", options_.service, ":", options_.name, ":")),
      scoped_prefix_(absl::StrCat("cachein:", options_.service, ":", options_.name, ":")) {
  auto& requests = prometheus::BuildCounter()
                       .Name("etnik_cache_requests_total")
                       .Help(
                           "Cache reads by outcome: hit, miss (loaded and stored), error "
                           "(Redis failed, loaded from the store), bypass (Redis skipped).")
                       .Register(registry);
  for (int i = 0; i < 4; ++i) {
    requests_[i] = &requests.Add({{"cache", options_.name}, {"result", kResultNames[i]}});
  }
  auto& invalidations =
      prometheus::BuildCounter()
          .Name("etnik_cache_invalidations_total")
          .Help(
              "Keys invalidated after writes: ok, failed (Redis unreachable, deferred), "
              "recovered (a deferred invalidation applied later).")
          .Register(registry);
  invalidated_ok_ = &invalidations.Add({{"cache", options_.name}, {"result", "ok"}});
  invalidated_failed_ = &invalidations.Add({{"cache", options_.name}, {"result", "failed"}});
  invalidated_recovered_ = &invalidations.Add({{"cache", options_.name}, {"result", "recovered"}});
  pending_gauge_ = &prometheus::BuildGauge()
                        .Name("etnik_cache_pending_invalidations")
                        .Help(
                            "Invalidations waiting for Redis; while above zero other "
                            "processes may read values older than the last write.")
                        .Register(registry)
                        .Add({{"cache", options_.name}});
}

std::string Cache::RedisKey(absl::string_view key) const { return absl::StrCat(data_prefix_, key); }

std::string Cache::VersionKey(absl::string_view key) const {
  return absl::StrCat(version_prefix_, key);
}

std::string Cache::ScopedKey(absl::string_view scope, absl::string_view key) const {
  return absl::StrCat(scoped_prefix_, scope, ":", key);
}

std::string Cache::FlightKey(absl::string_view token, absl::string_view data_key) const {
  return absl::StrCat(invalidations_.load(std::memory_order_acquire), ":", token, ":", data_key);
}

void Cache::Count(Result r) { requests_[static_cast<int>(r)]->Increment(); }

absl::StatusOr<std::string> Cache::GetOrLoad(absl::string_view key, absl::Duration ttl,
                                             const Loader& loader) {
  if (ttl <= absl::ZeroDuration()) {
    Count(Result::kBypass);
    return loader();
  }
  const std::string data_key = RedisKey(key);

  if (pending_count_.load(std::memory_order_acquire) > 0) {
    absl::Status flushed = FlushPending();
    if (!flushed.ok() || IsPending(key)) {
      Count(flushed.ok() || IsCircuitOpen(flushed) ? Result::kBypass : Result::kError);
      return flights_.Do(data_key, loader);
    }
  }

  absl::StatusOr<Reply> got = pool_.Command("GET", data_key);
  if (got.ok() && got->is_string()) {
    Count(Result::kHit);
    return std::move(got->str);
  }
  if (got.ok() && got->is_nil()) {
    Count(Result::kMiss);
    return flights_.Do(data_key, [&] { return LoadAndFill(data_key, key, ttl, loader); });
  }
  Count(!got.ok() && IsCircuitOpen(got.status()) ? Result::kBypass : Result::kError);
  return flights_.Do(data_key, loader);
}

absl::StatusOr<std::string> Cache::LoadAndFill(const std::string& data_key, absl::string_view key,
                                               absl::Duration ttl, const Loader& loader) {
  const std::string version_key = VersionKey(key);
  // Read the version before the store, so a write in between makes the fill a no-op.
  absl::StatusOr<Reply> version = pool_.Command("GET", version_key);
  absl::StatusOr<std::string> value = loader();
  if (!value.ok() || !version.ok() || IsPending(key)) return value;
  const std::string seen = version->is_string() ? version->str : std::string();
  // A failed fill only costs a later miss; the pool has counted the error.
  (void)pool_.Command("EVAL", kFillScript, 2, data_key, version_key, seen, *value,
                      JitteredMillis(ttl, options_.ttl_jitter));
  return value;
}

absl::StatusOr<std::string> Cache::GetOrLoadScoped(absl::string_view scope,
                                                   absl::Duration scope_ttl,
                                                   absl::string_view key, absl::Duration ttl,
                                                   const Loader& loader) {
  if (ttl <= absl::ZeroDuration()) {
    Count(Result::kBypass);
    return loader();
  }
  const std::string scope_key = RedisKey(scope);
  const std::string data_key = ScopedKey(scope, key);

  if (pending_count_.load(std::memory_order_acquire) > 0) {
    absl::Status flushed = FlushPending();
    if (!flushed.ok() || IsPending(scope)) {
      Count(flushed.ok() || IsCircuitOpen(flushed) ? Result::kBypass : Result::kError);
      return flights_.Do(FlightKey("", data_key), loader);
    }
  }

  absl::StatusOr<Reply> got = pool_.Command("MGET", scope_key, data_key);
  if (!got.ok() || !got->is_array() || got->elements.size() != 2) {
    Count(!got.ok() && IsCircuitOpen(got.status()) ? Result::kBypass : Result::kError);
    return flights_.Do(FlightKey("", data_key), loader);
  }
  Reply& token = got->elements[0];
  Reply& value = got->elements[1];
  if (token.is_string() && value.is_string() && value.str.size() > token.str.size() &&
      value.str[token.str.size()] == kTokenEnd &&
      absl::string_view(value.str).substr(0, token.str.size()) == token.str) {
    Count(Result::kHit);
    value.str.erase(0, token.str.size() + 1);
    return std::move(value.str);
  }
  Count(Result::kMiss);
  std::string current = token.is_string() ? std::move(token.str) : std::string();
  const std::string flight = FlightKey(current, data_key);
  return flights_.Do(flight, [&] {
    return LoadAndFillScoped(scope_key, scope, scope_ttl, std::move(current), data_key, ttl,
                             loader);
  });
}

absl::StatusOr<std::string> Cache::LoadAndFillScoped(const std::string& scope_key,
                                                     absl::string_view scope,
                                                     absl::Duration scope_ttl, std::string token,
                                                     const std::string& data_key,
                                                     absl::Duration ttl, const Loader& loader) {
  // The token must be in Redis before the store is read: a write's invalidation after this
  // point deletes it, so whatever this load stores under it is never read again.
  if (token.empty()) {
    absl::StatusOr<Reply> made =
        pool_.Command("EVAL", kTokenScript, 1, scope_key, NewToken(),
                      std::max<int64_t>(1, absl::ToInt64Milliseconds(scope_ttl)));
    if (made.ok() && made->is_string()) token = std::move(made->str);
  }
  absl::StatusOr<std::string> value = loader();
  if (!value.ok() || token.empty() || IsPending(scope)) return value;
  // A failed fill only costs a later miss; the pool has counted the error.
  (void)pool_.Command("SET", data_key, absl::StrCat(token, std::string(1, kTokenEnd), *value),
                      "PX", JitteredMillis(ttl, options_.ttl_jitter));
  return value;
}

absl::Status Cache::RunInvalidate(absl::Span<const std::string> keys) {
  std::vector<std::string> argv;
  argv.reserve(4 + 2 * keys.size());
  argv.emplace_back("EVAL");
  argv.emplace_back(kInvalidateScript);
  argv.push_back(std::to_string(2 * keys.size()));
  for (const std::string& k : keys) {
    argv.push_back(RedisKey(k));
    argv.push_back(VersionKey(k));
  }
  argv.push_back(
      std::to_string(std::max<int64_t>(1, absl::ToInt64Milliseconds(options_.version_ttl))));
  return pool_.CommandArgv(absl::MakeConstSpan(argv)).status();
}

absl::Status Cache::Invalidate(absl::string_view key) {
  const std::string k(key);
  return Invalidate(absl::MakeConstSpan(&k, 1));
}

absl::Status Cache::Invalidate(absl::Span<const std::string> keys) {
  if (keys.empty()) return absl::OkStatus();
  std::vector<std::pair<std::string, uint64_t>> earlier;
  {
    absl::MutexLock lock(&pending_mu_);
    earlier.assign(pending_.begin(), pending_.end());
  }
  std::vector<std::string> all(keys.begin(), keys.end());
  for (const auto& [k, seq] : earlier) all.push_back(k);

  absl::Status status = RunInvalidate(all);
  {
    absl::MutexLock lock(&pending_mu_);
    if (status.ok()) {
      size_t recovered = 0;
      for (const auto& [k, seq] : earlier) {
        auto it = pending_.find(k);
        if (it != pending_.end() && it->second == seq) {
          pending_.erase(it);
          ++recovered;
        }
      }
      invalidated_ok_->Increment(static_cast<double>(keys.size()));
      invalidated_recovered_->Increment(static_cast<double>(recovered));
    } else {
      for (const std::string& k : keys) pending_[k] = ++pending_seq_;
      invalidated_failed_->Increment(static_cast<double>(keys.size()));
    }
    pending_count_.store(pending_.size(), std::memory_order_release);
    pending_gauge_->Set(static_cast<double>(pending_.size()));
  }
  // Only now: a reader arriving after this call must not join a load that began before it.
  invalidations_.fetch_add(1, std::memory_order_acq_rel);
  for (const std::string& k : keys) flights_.Forget(RedisKey(k));
  return status;
}

absl::Status Cache::FlushPending() {
  if (pending_count_.load(std::memory_order_acquire) == 0) return absl::OkStatus();
  std::vector<std::pair<std::string, uint64_t>> earlier;
  std::vector<std::string> keys;
  {
    absl::MutexLock lock(&pending_mu_);
    earlier.assign(pending_.begin(), pending_.end());
  }
  if (earlier.empty()) return absl::OkStatus();
  keys.reserve(earlier.size());
  for (const auto& [k, seq] : earlier) keys.push_back(k);

  absl::Status status = RunInvalidate(keys);
  if (!status.ok()) return status;
  absl::MutexLock lock(&pending_mu_);
  size_t recovered = 0;
  for (const auto& [k, seq] : earlier) {
    auto it = pending_.find(k);
    if (it != pending_.end() && it->second == seq) {
      pending_.erase(it);
      ++recovered;
    }
  }
  invalidated_recovered_->Increment(static_cast<double>(recovered));
  pending_count_.store(pending_.size(), std::memory_order_release);
  pending_gauge_->Set(static_cast<double>(pending_.size()));
  return absl::OkStatus();
}

bool Cache::IsPending(absl::string_view key) const {
  if (pending_count_.load(std::memory_order_acquire) == 0) return false;
  absl::MutexLock lock(&pending_mu_);
  return pending_.contains(key);
}

size_t Cache::pending_invalidations() const {
  absl::MutexLock lock(&pending_mu_);
  return pending_.size();
}

}  // namespace etnik::redis
