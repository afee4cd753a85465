#include "common/redis/cache.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/barrier.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/redis/test_metrics.h"
#include "common/testing/redis_server.h"
#include "gtest/gtest.h"

namespace etnik::redis {
namespace {

using ::etnik::test::RedisServer;

// The system of record, as the cache's loader sees it.
class FakeStore {
 public:
  explicit FakeStore(std::string value) : value_(std::move(value)) {}
  void Write(std::string v) {
    absl::MutexLock lock(&mu_);
    value_ = std::move(v);
  }
  absl::StatusOr<std::string> Read() {
    loads_.fetch_add(1);
    absl::MutexLock lock(&mu_);
    return value_;
  }
  Cache::Loader Loader() {
    return [this] { return Read(); };
  }
  int loads() const { return loads_.load(); }

 private:
  absl::Mutex mu_;
  std::string value_;
  std::atomic<int> loads_{0};
};

CacheOptions Options(std::string service) {
  CacheOptions o;
  o.service = std::move(service);
  o.name = "catalogue";
  return o;
}

// Failed calls compare unequal to any expected value instead of aborting the test.
std::string Text(absl::StatusOr<std::string> r) {
  return r.ok() ? *std::move(r) : "<" + r.status().ToString() + ">";
}

absl::Duration Since(std::chrono::steady_clock::time_point start) {
  return absl::FromChrono(std::chrono::steady_clock::now() - start);
}

class CacheTest : public ::testing::Test {
 protected:
  static constexpr absl::Duration kCommandTimeout = absl::Milliseconds(150);
  static constexpr absl::Duration kCoolDown = absl::Seconds(5);
  static constexpr absl::Duration kTtl = absl::Seconds(100);

  void SetUp() override {
    absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Launch();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    Rebuild(/*failure_threshold=*/3);
  }

  void Rebuild(int failure_threshold) {
    cache_.reset();
    pool_ = MakePool(registry_, failure_threshold);
    cache_ = std::make_unique<Cache>(*pool_, Options("hubs"), registry_);
  }

  std::unique_ptr<RedisPool> MakePool(prometheus::Registry& registry, int failure_threshold) {
    RedisOptions base;
    base.command_timeout = kCommandTimeout;
    base.connect_timeout = kCommandTimeout;
    base.breaker.failure_threshold = failure_threshold;
    base.breaker.open_for = kCoolDown;
    absl::StatusOr<RedisOptions> options = ParseRedisUrl(server_->url(), base);
    EXPECT_TRUE(options.ok()) << options.status();
    return std::make_unique<RedisPool>(*options, clock_, registry);
  }

  double Requests(const std::string& result) {
    return MetricValue(registry_, "etnik_cache_requests_total",
                       {{"cache", "catalogue"}, {"result", result}});
  }
  double Invalidations(const std::string& result) {
    return MetricValue(registry_, "etnik_cache_invalidations_total",
                       {{"cache", "catalogue"}, {"result", result}});
  }
  std::string Get(const std::string& key, FakeStore& store) {
    absl::StatusOr<std::string> v = cache_->GetOrLoad(key, kTtl, store.Loader());
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : "<error>";
  }

  FakeClock clock_;
  prometheus::Registry registry_;
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<Cache> cache_;
};

TEST_F(CacheTest, FirstReadMissesAndLoadsThenHits) {
  FakeStore store("хабы v1");
  EXPECT_EQ(Get("all", store), "хабы v1");
  EXPECT_EQ(Get("all", store), "хабы v1");
  EXPECT_EQ(Get("all", store), "хабы v1");
  EXPECT_EQ(store.loads(), 1);
  EXPECT_EQ(Requests("miss"), 1);
  EXPECT_EQ(Requests("hit"), 2);
  EXPECT_EQ(Requests("error"), 0);
  EXPECT_EQ(Text(server_->Execute({"GET", "cache:hubs:catalogue:all"})), "хабы v1");
}

TEST_F(CacheTest, InvalidateMakesTheNextReadLoadTheNewValue) {
  FakeStore store("v1");
  ASSERT_EQ(Get("hub/7", store), "v1");
  store.Write("v2");
  EXPECT_EQ(Get("hub/7", store), "v1");  // cached until invalidated
  ASSERT_TRUE(cache_->Invalidate("hub/7").ok());
  EXPECT_EQ(Get("hub/7", store), "v2");
  EXPECT_EQ(Get("hub/7", store), "v2");
  EXPECT_EQ(store.loads(), 2);
  EXPECT_EQ(Invalidations("ok"), 1);
}

TEST_F(CacheTest, InvalidatesSeveralKeysAtOnce) {
  FakeStore a("a1"), b("b1");
  Get("a", a);
  Get("b", b);
  a.Write("a2");
  b.Write("b2");
  std::vector<std::string> keys = {"a", "b"};
  ASSERT_TRUE(cache_->Invalidate(keys).ok());
  EXPECT_EQ(Get("a", a), "a2");
  EXPECT_EQ(Get("b", b), "b2");
  EXPECT_EQ(Invalidations("ok"), 2);
}

TEST_F(CacheTest, FillCarriesTheTtlPlusAtMostTenPercentJitter) {
  FakeStore store("x");
  std::vector<int64_t> pttls;
  for (int i = 0; i < 20; ++i) {
    const std::string key = "k" + std::to_string(i);
    Get(key, store);
    int64_t ttl = 0, pttl = 0;
    ASSERT_TRUE(absl::SimpleAtoi(Text(server_->Execute({"TTL", cache_->RedisKey(key)})), &ttl));
    ASSERT_TRUE(absl::SimpleAtoi(Text(server_->Execute({"PTTL", cache_->RedisKey(key)})), &pttl));
    EXPECT_GE(ttl, 100);
    EXPECT_LE(ttl, 110);
    EXPECT_LE(pttl, 110000);
    EXPECT_GT(pttl, 99000);
    pttls.push_back(pttl);
  }
  // Jitter spreads the expiries (20 equal draws out of 10 000 ms are impossible in practice).
  EXPECT_NE(*std::min_element(pttls.begin(), pttls.end()),
            *std::max_element(pttls.begin(), pttls.end()));
}

TEST_F(CacheTest, ColdKeyStampedeCallsTheLoaderOnce) {
  std::atomic<int> loads{0};
  Cache::Loader slow = [&]() -> absl::StatusOr<std::string> {
    loads.fetch_add(1);
    absl::SleepFor(absl::Milliseconds(300));  // long enough for all 32 callers to pile up
    return std::string("catalogue");
  };
  constexpr int kThreads = 32;
  absl::Barrier* start = new absl::Barrier(kThreads);
  std::vector<std::string> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      if (start->Block()) delete start;
      absl::StatusOr<std::string> v = cache_->GetOrLoad("cold", kTtl, slow);
      results[t] = v.ok() ? *v : v.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(loads.load(), 1);
  for (const std::string& r : results) EXPECT_EQ(r, "catalogue");
}

TEST_F(CacheTest, LoaderErrorsReachTheCallerAndAreNotCached) {
  int calls = 0;
  Cache::Loader failing = [&]() -> absl::StatusOr<std::string> {
    ++calls;
    return absl::NotFoundError("no such hub");
  };
  EXPECT_EQ(cache_->GetOrLoad("hub/404", kTtl, failing).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(cache_->GetOrLoad("hub/404", kTtl, failing).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(Text(server_->Execute({"EXISTS", cache_->RedisKey("hub/404")})), "0");
}

TEST_F(CacheTest, ServicesAndCachesDoNotShareKeys) {
  Cache schedules(*pool_, Options("scheduling"), registry_);
  FakeStore hubs("hubs' answer"), sched("scheduling's answer");
  EXPECT_EQ(Get("same", hubs), "hubs' answer");
  EXPECT_EQ(Text(schedules.GetOrLoad("same", kTtl, sched.Loader())), "scheduling's answer");
  EXPECT_EQ(cache_->RedisKey("same"), "cache:hubs:catalogue:same");
  EXPECT_EQ(schedules.RedisKey("same"), "cache:scheduling:catalogue:same");
}

TEST_F(CacheTest, ZeroTtlMeansDoNotCache) {
  FakeStore store("x");
  EXPECT_EQ(Text(cache_->GetOrLoad("k", absl::ZeroDuration(), store.Loader())), "x");
  EXPECT_EQ(Text(cache_->GetOrLoad("k", absl::ZeroDuration(), store.Loader())), "x");
  EXPECT_EQ(store.loads(), 2);
  EXPECT_EQ(Text(server_->Execute({"EXISTS", cache_->RedisKey("k")})), "0");
}

TEST_F(CacheTest, ALoadThatReadTheStoreBeforeAWriteCannotRefillTheOldValue) {
  FakeStore store("old");
  absl::Notification loading, release;
  Cache::Loader stalled = [&]() -> absl::StatusOr<std::string> {
    absl::StatusOr<std::string> v = store.Read();  // reads "old"
    loading.Notify();
    release.WaitForNotification();
    return v;
  };
  std::thread reader([&] { EXPECT_EQ(Text(cache_->GetOrLoad("k", kTtl, stalled)), "old"); });
  loading.WaitForNotification();
  store.Write("new");                         // the write commits...
  ASSERT_TRUE(cache_->Invalidate("k").ok());  // ...and invalidates
  release.Notify();                           // then the slow reader tries to fill "old"
  reader.join();
  EXPECT_EQ(Text(server_->Execute({"EXISTS", cache_->RedisKey("k")})), "0");
  EXPECT_EQ(Get("k", store), "new");
  EXPECT_EQ(Get("k", store), "new");
}

TEST_F(CacheTest, WrongTypeInRedisIsAnErrorThatTheCallerNeverSees) {
  ASSERT_TRUE(server_->Execute({"RPUSH", cache_->RedisKey("k"), "junk"}).ok());
  FakeStore store("from store");
  EXPECT_EQ(Get("k", store), "from store");  // Redis said WRONGTYPE
  EXPECT_EQ(Requests("error"), 1);
}

TEST_F(CacheTest, StoppedRedisServesReadsFromTheStoreQuicklyAndRecoversByItself) {
  FakeStore store("v1");
  ASSERT_EQ(Get("k", store), "v1");
  ASSERT_TRUE(server_->Stop().ok());
  store.Write("v2");

  for (int i = 0; i < 10; ++i) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(Get("k", store), "v2");
    EXPECT_LT(Since(start), 2 * kCommandTimeout) << "read " << i;
  }
  EXPECT_EQ(pool_->breaker().state(), CircuitBreaker::State::kOpen);
  EXPECT_EQ(Requests("error"), 3);   // the failures that opened the breaker
  EXPECT_EQ(Requests("bypass"), 7);  // then Redis is not even tried
  EXPECT_EQ(MetricValue(registry_, "etnik_redis_breaker_state", {{"name", "redis"}}), 2);

  ASSERT_TRUE(server_->Start().ok());
  EXPECT_EQ(Get("k", store), "v2");  // still cooling down: bypass
  clock_.Advance(kCoolDown);
  const double hits = Requests("hit");
  EXPECT_EQ(Get("k", store), "v2");  // the probe: a miss on the empty server, then a fill
  EXPECT_EQ(pool_->breaker().state(), CircuitBreaker::State::kClosed);
  const int loads = store.loads();
  EXPECT_EQ(Get("k", store), "v2");
  EXPECT_EQ(Requests("hit"), hits + 1);
  EXPECT_EQ(store.loads(), loads);
}

TEST_F(CacheTest, PausedRedisDelaysAReadByAtMostAboutOneCommandTimeout) {
  FakeStore store("v1");
  ASSERT_EQ(Get("k", store), "v1");
  ASSERT_TRUE(server_->Pause(absl::Seconds(1)).ok());
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(Get("k", store), "v1");
    EXPECT_LT(Since(start), 2 * kCommandTimeout) << "read " << i;
  }
  EXPECT_EQ(pool_->breaker().state(), CircuitBreaker::State::kOpen);
  EXPECT_EQ(MetricValue(registry_, "etnik_redis_errors_total", {{"kind", "timeout"}}), 3);
}

TEST_F(CacheTest, InvalidationDuringAnOutageIsNotLostAndNeverServesTheOldValue) {
  Rebuild(/*failure_threshold=*/100);  // keep the breaker out of this story
  // Another replica of the service, sharing Redis.
  prometheus::Registry other_registry;
  auto other_pool = MakePool(other_registry, 3);
  Cache other(*other_pool, Options("hubs"), other_registry);

  FakeStore store("v1");
  ASSERT_EQ(Get("k", store), "v1");
  // Redis unreachable but keeping its data: the dangerous case for a stale read.
  ASSERT_TRUE(server_->Pause(absl::Milliseconds(800)).ok());
  const auto paused_at = std::chrono::steady_clock::now();
  store.Write("v2");
  absl::Status inv = cache_->Invalidate("k");
  EXPECT_FALSE(inv.ok());
  EXPECT_EQ(cache_->pending_invalidations(), 1u);
  EXPECT_EQ(Invalidations("failed"), 1);
  EXPECT_EQ(MetricValue(registry_, "etnik_cache_pending_invalidations", {{"cache", "catalogue"}}),
            1);

  // This process reads its own write at once, without waiting on Redis for every read.
  EXPECT_EQ(Get("k", store), "v2");
  EXPECT_EQ(Get("k", store), "v2");

  // Redis answers again, with "v1" still stored.
  absl::SleepFor(absl::Milliseconds(900) - Since(paused_at));
  ASSERT_EQ(Text(server_->Execute({"GET", cache_->RedisKey("k")})), "v1");
  EXPECT_EQ(Get("k", store), "v2");  // the flush runs first, then a miss
  EXPECT_EQ(cache_->pending_invalidations(), 0u);
  EXPECT_EQ(Invalidations("recovered"), 1);
  EXPECT_EQ(MetricValue(registry_, "etnik_cache_pending_invalidations", {{"cache", "catalogue"}}),
            0);
  FakeStore wrong("the other replica must hit, not load");
  EXPECT_EQ(Text(other.GetOrLoad("k", kTtl, wrong.Loader())), "v2");
}

TEST_F(CacheTest, WhileTheBreakerIsOpenTheFlushIsTheProbe) {
  FakeStore store("v1");
  ASSERT_EQ(Get("k", store), "v1");
  ASSERT_TRUE(server_->Pause(absl::Milliseconds(1000)).ok());
  const auto paused_at = std::chrono::steady_clock::now();
  store.Write("v2");
  for (int i = 0; i < 3; ++i) (void)cache_->Invalidate("k");  // opens the breaker
  ASSERT_EQ(pool_->breaker().state(), CircuitBreaker::State::kOpen);
  EXPECT_EQ(Get("k", store), "v2");
  EXPECT_EQ(Requests("bypass"), 1);

  absl::SleepFor(absl::Milliseconds(1100) - Since(paused_at));
  EXPECT_EQ(Get("k", store), "v2");  // pause over, breaker still open: bypass
  EXPECT_EQ(Text(server_->Execute({"GET", cache_->RedisKey("k")})), "v1");
  clock_.Advance(kCoolDown);
  EXPECT_EQ(Get("k", store), "v2");  // probe = flush; then the read uses Redis again
  EXPECT_EQ(Text(server_->Execute({"EXISTS", cache_->RedisKey("k")})), "1");
  EXPECT_EQ(Text(server_->Execute({"GET", cache_->RedisKey("k")})), "v2");
  EXPECT_EQ(pool_->breaker().state(), CircuitBreaker::State::kClosed);
}

// ---- Scoped reads ----

// Commands the server has run since the last CONFIG RESETSTAT, not counting that CONFIG and
// the INFO that asks.
int CommandsRun(const RedisServer& server) {
  absl::StatusOr<std::string> info = server.Execute({"INFO", "commandstats"});
  EXPECT_TRUE(info.ok()) << info.status();
  int total = 0;
  for (absl::string_view line : absl::StrSplit(info.ok() ? *info : "", '\n')) {
    if (!absl::ConsumePrefix(&line, "cmdstat_") || absl::StartsWith(line, "info:") ||
        absl::StartsWith(line, "config|resetstat:") || absl::StartsWith(line, "config:")) {
      continue;
    }
    const size_t at = line.find("calls=");
    int calls = 0;
    if (at != absl::string_view::npos &&
        absl::SimpleAtoi(line.substr(at + 6, line.find(',', at) - at - 6), &calls)) {
      total += calls;
    }
  }
  return total;
}

std::string Scoped(Cache& cache, const std::string& key, FakeStore& store) {
  return Text(cache.GetOrLoadScoped("generation", absl::Hours(1), key, absl::Seconds(100),
                                    store.Loader()));
}

TEST_F(CacheTest, AScopedHitIsOneRoundTrip) {
  FakeStore store("сессии v1");
  EXPECT_EQ(Scoped(*cache_, "sessions:a", store), "сессии v1");
  ASSERT_TRUE(server_->Execute({"CONFIG", "RESETSTAT"}).ok());
  EXPECT_EQ(Scoped(*cache_, "sessions:a", store), "сессии v1");
  EXPECT_EQ(CommandsRun(*server_), 1) << "one MGET of the scope token and the value\n"
                                      << Text(server_->Execute({"INFO", "commandstats"}));
  EXPECT_EQ(Scoped(*cache_, "sessions:a", store), "сессии v1");
  EXPECT_EQ(store.loads(), 1);
  EXPECT_EQ(Requests("miss"), 1);
  EXPECT_EQ(Requests("hit"), 2);
  EXPECT_EQ(cache_->ScopedKey("generation", "sessions:a"),
            "cachein:hubs:catalogue:generation:sessions:a");
}

TEST_F(CacheTest, InvalidatingTheScopeDropsEveryValueInIt) {
  FakeStore a("a1"), b("b1");
  EXPECT_EQ(Scoped(*cache_, "a", a), "a1");
  EXPECT_EQ(Scoped(*cache_, "b", b), "b1");
  a.Write("a2");
  b.Write("b2");
  ASSERT_TRUE(cache_->Invalidate("generation").ok());
  EXPECT_EQ(Scoped(*cache_, "a", a), "a2");
  EXPECT_EQ(Scoped(*cache_, "b", b), "b2");
  EXPECT_EQ(Scoped(*cache_, "b", b), "b2");
  EXPECT_EQ(a.loads() + b.loads(), 4);
  // Another replica sharing Redis sees the new values as hits.
  prometheus::Registry other_registry;
  auto other_pool = MakePool(other_registry, 3);
  Cache other(*other_pool, Options("hubs"), other_registry);
  FakeStore wrong("the other replica must hit, not load");
  EXPECT_EQ(Scoped(other, "a", wrong), "a2");
}

TEST_F(CacheTest, AScopedLoadThatReadTheStoreBeforeAWriteIsNeverServed) {
  FakeStore store("old");
  ASSERT_EQ(Scoped(*cache_, "other", store), "old");  // the scope exists before the race
  absl::Notification loading, release;
  Cache::Loader stalled = [&]() -> absl::StatusOr<std::string> {
    absl::StatusOr<std::string> v = store.Read();  // reads "old"
    loading.Notify();
    release.WaitForNotification();
    return v;
  };
  std::thread reader([&] {
    EXPECT_EQ(Text(cache_->GetOrLoadScoped("generation", absl::Hours(1), "k", kTtl, stalled)),
              "old");
  });
  loading.WaitForNotification();
  store.Write("new");                                  // the write commits...
  ASSERT_TRUE(cache_->Invalidate("generation").ok());  // ...and invalidates the scope
  release.Notify();                                    // then the slow reader stores "old"
  reader.join();
  EXPECT_EQ(Scoped(*cache_, "k", store), "new");
  EXPECT_EQ(Scoped(*cache_, "k", store), "new");
}

TEST_F(CacheTest, ColdScopedKeyStampedeCallsTheLoaderOnce) {
  std::atomic<int> loads{0};
  Cache::Loader slow = [&]() -> absl::StatusOr<std::string> {
    loads.fetch_add(1);
    absl::SleepFor(absl::Milliseconds(300));  // long enough for all callers to pile up
    return std::string("listing");
  };
  ASSERT_EQ(Text(cache_->GetOrLoadScoped("generation", absl::Hours(1), "warm", kTtl, slow)),
            "listing");  // the token exists, so every caller sees the same one
  constexpr int kThreads = 16;
  absl::Barrier* start = new absl::Barrier(kThreads);
  std::vector<std::string> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      if (start->Block()) delete start;
      results[t] = Text(cache_->GetOrLoadScoped("generation", absl::Hours(1), "cold", kTtl, slow));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(loads.load(), 2);
  for (const std::string& r : results) EXPECT_EQ(r, "listing");
}

TEST_F(CacheTest, ScopeInvalidatedDuringAnOutageIsReadFromTheStoreUntilFlushed) {
  Rebuild(/*failure_threshold=*/100);  // keep the breaker out of this story
  FakeStore store("v1");
  ASSERT_EQ(Scoped(*cache_, "k", store), "v1");
  ASSERT_TRUE(server_->Pause(absl::Milliseconds(800)).ok());
  const auto paused_at = std::chrono::steady_clock::now();
  store.Write("v2");
  EXPECT_FALSE(cache_->Invalidate("generation").ok());
  EXPECT_EQ(Scoped(*cache_, "k", store), "v2");  // pending: this process reads the store
  absl::SleepFor(absl::Milliseconds(900) - Since(paused_at));
  EXPECT_EQ(Scoped(*cache_, "k", store), "v2");  // flushed, then a miss and a fill
  EXPECT_EQ(cache_->pending_invalidations(), 0u);
  const int loads = store.loads();
  EXPECT_EQ(Scoped(*cache_, "k", store), "v2");
  EXPECT_EQ(store.loads(), loads);
}

TEST_F(CacheTest, ScopedValueOfAnotherTokenOrCorruptIsAMiss) {
  FakeStore store("v1");
  ASSERT_EQ(Scoped(*cache_, "k", store), "v1");
  ASSERT_TRUE(server_->Execute({"SET", cache_->ScopedKey("generation", "k"), "other\nstale"}).ok());
  EXPECT_EQ(Scoped(*cache_, "k", store), "v1");
  ASSERT_TRUE(server_->Execute({"SET", cache_->ScopedKey("generation", "k"), "x"}).ok());
  EXPECT_EQ(Scoped(*cache_, "k", store), "v1");
  EXPECT_EQ(store.loads(), 3);
  EXPECT_EQ(Scoped(*cache_, "k", store), "v1");
  EXPECT_EQ(store.loads(), 3);
}

}  // namespace
}  // namespace etnik::redis
