#include "common/redis/near_cache.h"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "prometheus/family.h"

namespace etnik::redis {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string IndexKey(absl::string_view scope, absl::string_view key) {
  return absl::StrCat(scope.size(), ":", scope, key);
}

struct ReplyDeleter {
  void operator()(redisReply* r) const {
    if (r != nullptr) freeReplyObject(r);
  }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

struct ContextDeleter {
  void operator()(redisContext* c) const {
    if (c != nullptr) redisFree(c);
  }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

bool IsString(const redisReply* r) {
  return r != nullptr && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS);
}

absl::string_view Str(const redisReply* r) { return absl::string_view(r->str, r->len); }

}  // namespace

NearCache::NearCache(Cache& cache, NearCacheOptions options, prometheus::Registry& registry)
    : cache_(cache),
      redis_(cache.pool().options()),
      options_(std::move(options)),
      payload_prefix_(cache.RedisKey("")) {
  const std::string& name = cache_.options().name;
  auto& requests = prometheus::BuildCounter()
                       .Name("etnik_cache_near_requests_total")
                       .Help(
                           "Near cache reads: hit (answered from process memory), miss (read "
                           "through Redis), bypass (not subscribed to invalidations).")
                       .Register(registry);
  hits_ = &requests.Add({{"cache", name}, {"result", "hit"}});
  misses_ = &requests.Add({{"cache", name}, {"result", "miss"}});
  bypasses_ = &requests.Add({{"cache", name}, {"result", "bypass"}});
  auto& invalidations = prometheus::BuildCounter()
                            .Name("etnik_cache_near_invalidations_total")
                            .Help("Near cache scopes dropped: local (own write), remote (message).")
                            .Register(registry);
  local_invalidations_ = &invalidations.Add({{"cache", name}, {"source", "local"}});
  remote_invalidations_ = &invalidations.Add({{"cache", name}, {"source", "remote"}});
  subscribed_gauge_ = &prometheus::BuildGauge()
                           .Name("etnik_cache_near_subscribed")
                           .Help(
                               "1 while the near cache hears invalidations and may serve from "
                               "memory, 0 while it reads through Redis.")
                           .Register(registry)
                           .Add({{"cache", name}});
  if (!options_.enabled) return;
  if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    wake_[0] = wake_[1] = -1;
    return;  // never subscribed: every read goes to Redis
  }
  thread_ = std::thread([this] { Run(); });
}

NearCache::~NearCache() {
  {
    absl::MutexLock lock(&stop_mu_);
    stop_ = true;
  }
  if (wake_[1] >= 0) {
    const char byte = 1;
    (void)!write(wake_[1], &byte, 1);
  }
  if (thread_.joinable()) thread_.join();
  for (int fd : wake_) {
    if (fd >= 0) close(fd);
  }
}

absl::StatusOr<std::string> NearCache::GetOrLoadScoped(absl::string_view scope,
                                                       absl::Duration scope_ttl,
                                                       absl::string_view key, absl::Duration ttl,
                                                       const Cache::Loader& loader) {
  if (ttl <= absl::ZeroDuration() || !subscribed()) {
    bypasses_->Increment();
    return cache_.GetOrLoadScoped(scope, scope_ttl, key, ttl, loader);
  }
  const std::string index_key = IndexKey(scope, key);
  {
    absl::MutexLock lock(&mu_);
    auto it = index_.find(index_key);
    if (it != index_.end()) {
      const Lru::iterator entry = it->second;
      if (SteadyClock::now() - entry->stored < absl::ToChronoNanoseconds(options_.max_age)) {
        lru_.splice(lru_.begin(), lru_, entry);
        hits_->Increment();
        return entry->value;
      }
      Erase(entry);
    }
  }
  misses_->Increment();
  // Taken before the load: any invalidation or subscription change meanwhile changes it.
  const uint64_t epoch = epoch_.load(std::memory_order_acquire);
  absl::StatusOr<std::string> value = cache_.GetOrLoadScoped(scope, scope_ttl, key, ttl, loader);
  if (value.ok()) Store(scope, key, *value, epoch);
  return value;
}

absl::Status NearCache::Invalidate(absl::string_view scope) {
  absl::Status status = cache_.Invalidate(scope);
  // After Redis: a load that starts from here on reads the new state.
  DropScope(scope);
  local_invalidations_->Increment();
  // A failed PUBLISH leaves other processes' copies to max_age; the pool counts the error.
  (void)cache_.pool().Command("PUBLISH", options_.channel, cache_.RedisKey(scope));
  return status;
}

size_t NearCache::size() const {
  absl::MutexLock lock(&mu_);
  return index_.size();
}

size_t NearCache::bytes() const {
  absl::MutexLock lock(&mu_);
  return bytes_;
}

void NearCache::Erase(Lru::iterator it) {
  bytes_ -= it->key.size() + it->scope.size() + it->value.size();
  index_.erase(IndexKey(it->scope, it->key));
  lru_.erase(it);
}

void NearCache::DropScope(absl::string_view scope) {
  absl::MutexLock lock(&mu_);
  // Inside the lock: a Store() checking the epoch afterwards sees the change.
  epoch_.fetch_add(1, std::memory_order_acq_rel);
  for (auto it = lru_.begin(); it != lru_.end();) {
    auto next = std::next(it);
    if (it->scope == scope) Erase(it);
    it = next;
  }
}

void NearCache::DropAll() {
  absl::MutexLock lock(&mu_);
  epoch_.fetch_add(1, std::memory_order_acq_rel);
  lru_.clear();
  index_.clear();
  bytes_ = 0;
}

void NearCache::Store(absl::string_view scope, absl::string_view key, std::string value,
                      uint64_t epoch) {
  const size_t size = scope.size() + key.size() + value.size();
  if (size > options_.max_bytes || options_.max_entries == 0) return;
  absl::MutexLock lock(&mu_);
  // Stored only if the subscription was live for the whole load and nothing was invalidated.
  if (!subscribed() || epoch_.load(std::memory_order_acquire) != epoch) return;
  const std::string index_key = IndexKey(scope, key);
  if (auto it = index_.find(index_key); it != index_.end()) Erase(it->second);
  while (!lru_.empty() &&
         (index_.size() >= options_.max_entries || bytes_ + size > options_.max_bytes)) {
    Erase(std::prev(lru_.end()));
  }
  lru_.push_front(Entry{std::string(scope), std::string(key), std::move(value), SteadyClock::now()});
  index_.emplace(index_key, lru_.begin());
  bytes_ += size;
}

void NearCache::SetSubscribed(bool live) {
  // Either way nothing held before may be trusted: messages may have been missed.
  {
    absl::MutexLock lock(&mu_);
    subscribed_.store(live, std::memory_order_release);
  }
  DropAll();
  subscribed_gauge_->Set(live ? 1 : 0);
}

void NearCache::OnMessage(absl::string_view payload) {
  if (!absl::ConsumePrefix(&payload, payload_prefix_)) return;  // another cache's scope
  // Readers arriving now must not join a local load that began before the other's write.
  cache_.ForgetFlights();
  DropScope(payload);
  remote_invalidations_->Increment();
}

bool NearCache::WaitOrStop(absl::Duration d) {
  absl::MutexLock lock(&stop_mu_);
  stop_mu_.AwaitWithTimeout(absl::Condition(&stop_), d);
  return stop_;
}

void NearCache::Run() {
  while (true) {
    if (!Subscribe()) return;
    if (subscribed()) SetSubscribed(false);
    if (WaitOrStop(options_.reconnect_delay)) return;
  }
}

bool NearCache::Subscribe() {
  const timeval connect_timeout = absl::ToTimeval(redis_.connect_timeout);
  ContextPtr ctx(redisConnectWithTimeout(redis_.host.c_str(), redis_.port, connect_timeout));
  if (ctx == nullptr || ctx->err != 0) return true;
  // Non-blocking from here: poll() decides when to read, so a silent server is noticed.
  if (redisSetTimeout(ctx.get(), absl::ToTimeval(redis_.command_timeout)) != REDIS_OK) return true;

  auto send = [&](std::initializer_list<absl::string_view> args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (absl::string_view a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(ctx.get(), static_cast<int>(argv.size()), argv.data(),
                               lens.data()) != REDIS_OK) {
      return false;
    }
    int done = 0;
    while (!done) {
      if (redisBufferWrite(ctx.get(), &done) != REDIS_OK) return false;
    }
    return true;
  };
  if (!send({"SUBSCRIBE", options_.channel})) return true;

  const auto ping_timeout = absl::ToChronoNanoseconds(options_.ping_timeout);
  const auto ping_interval = absl::ToChronoNanoseconds(options_.ping_interval);
  auto last_ping = SteadyClock::now();
  bool ping_outstanding = true;  // the SUBSCRIBE confirmation counts as the first answer
  while (true) {
    // Handle every reply already read before waiting for more.
    while (true) {
      void* raw = nullptr;
      if (redisGetReplyFromReader(ctx.get(), &raw) != REDIS_OK) return true;
      ReplyPtr reply(static_cast<redisReply*>(raw));
      if (reply == nullptr) break;
      if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 2 ||
          !IsString(reply->element[0])) {
        continue;
      }
      const absl::string_view kind = Str(reply->element[0]);
      if (kind == "message" && reply->elements == 3 && IsString(reply->element[2])) {
        OnMessage(Str(reply->element[2]));
      } else if (kind == "subscribe") {
        ping_outstanding = false;
        SetSubscribed(true);
      } else if (kind == "pong") {
        ping_outstanding = false;
      }
    }
    const auto now = SteadyClock::now();
    if (ping_outstanding && now - last_ping > ping_timeout) return true;  // server silent
    if (!ping_outstanding && now - last_ping >= ping_interval) {
      if (!send({"PING"})) return true;
      last_ping = now;
      ping_outstanding = true;
    }
    pollfd fds[2] = {{ctx->fd, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    const int wait_ms = static_cast<int>(absl::ToInt64Milliseconds(options_.ping_interval / 2)) + 1;
    const int ready = poll(fds, 2, wait_ms);
    if (fds[1].revents != 0) return false;  // shutting down
    if (ready < 0 && errno != EINTR) return true;
    if (ready > 0 && fds[0].revents != 0) {
      if (redisBufferRead(ctx.get()) != REDIS_OK) return true;
    }
  }
}

}  // namespace etnik::redis
