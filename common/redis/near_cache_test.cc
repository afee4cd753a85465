#include "common/redis/near_cache.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/clock/clock.h"
#include "common/redis/test_metrics.h"
#include "common/testing/redis_server.h"
#include "gtest/gtest.h"

namespace etnik::redis {
namespace {

using ::etnik::test::RedisServer;

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

std::string Text(absl::StatusOr<std::string> r) {
  return r.ok() ? *std::move(r) : "<" + r.status().ToString() + ">";
}

// Polls `done` every 10 ms for at most `limit`.
template <typename F>
bool Eventually(F done, absl::Duration limit = absl::Seconds(2)) {
  const auto deadline = std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(limit);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// Commands run since CONFIG RESETSTAT, without the check's own and the subscribers' PINGs.
int CommandsRun(const RedisServer& server) {
  absl::StatusOr<std::string> info = server.Execute({"INFO", "commandstats"});
  EXPECT_TRUE(info.ok()) << info.status();
  int total = 0;
  for (absl::string_view line : absl::StrSplit(info.ok() ? *info : "", '\n')) {
    if (!absl::ConsumePrefix(&line, "cmdstat_") || absl::StartsWith(line, "info:") ||
        absl::StartsWith(line, "ping:") || absl::StartsWith(line, "config|resetstat:") ||
        absl::StartsWith(line, "config:")) {
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

// One process: its own pool, Cache and NearCache, as a replica would have.
struct Replica {
  prometheus::Registry registry;
  std::unique_ptr<RedisPool> pool;
  std::unique_ptr<Cache> cache;
  std::unique_ptr<NearCache> near;

  double Near(const std::string& label, const std::string& value) {
    return MetricValue(registry, value == "local" || value == "remote"
                                     ? "etnik_cache_near_invalidations_total"
                                     : "etnik_cache_near_requests_total",
                       {{"cache", "listings"}, {label, value}});
  }
};

class NearCacheTest : public ::testing::Test {
 protected:
  static constexpr absl::Duration kTtl = absl::Seconds(100);

  void SetUp() override {
    absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Launch();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    a_ = MakeReplica(Options());
    b_ = MakeReplica(Options());
    ASSERT_TRUE(Eventually([&] { return a_->near->subscribed() && b_->near->subscribed(); }));
  }

  // max_age far beyond the tests, so only invalidations can drop a copy.
  static NearCacheOptions Options() {
    NearCacheOptions o;
    o.max_age = absl::Hours(1);
    return o;
  }

  std::unique_ptr<Replica> MakeReplica(NearCacheOptions near) {
    auto r = std::make_unique<Replica>();
    RedisOptions base;
    base.command_timeout = absl::Milliseconds(150);
    base.connect_timeout = absl::Milliseconds(150);
    base.breaker.failure_threshold = 1000;  // every read tries Redis
    absl::StatusOr<RedisOptions> options = ParseRedisUrl(server_->url(), base);
    EXPECT_TRUE(options.ok()) << options.status();
    r->pool = std::make_unique<RedisPool>(*options, clock_, r->registry);
    CacheOptions c;
    c.service = "scheduling";
    c.name = "listings";
    r->cache = std::make_unique<Cache>(*r->pool, c, r->registry);
    r->near = std::make_unique<NearCache>(*r->cache, near, r->registry);
    return r;
  }

  std::string Read(Replica& r, const std::string& key, FakeStore& store) {
    return Text(r.near->GetOrLoadScoped("generation", absl::Hours(1), key, kTtl, store.Loader()));
  }

  FakeClock clock_;
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<Replica> a_;
  std::unique_ptr<Replica> b_;
};

TEST_F(NearCacheTest, ANearHitMakesNoRedisCommand) {
  FakeStore store("сессии v1");
  EXPECT_EQ(Read(*a_, "sessions:a", store), "сессии v1");
  ASSERT_TRUE(server_->Execute({"CONFIG", "RESETSTAT"}).ok());
  EXPECT_EQ(Read(*a_, "sessions:a", store), "сессии v1");
  EXPECT_EQ(Read(*a_, "sessions:a", store), "сессии v1");
  EXPECT_EQ(CommandsRun(*server_), 0) << Text(server_->Execute({"INFO", "commandstats"}));
  EXPECT_EQ(store.loads(), 1);
  EXPECT_EQ(a_->Near("result", "hit"), 2);
  EXPECT_EQ(a_->Near("result", "miss"), 1);
}

TEST_F(NearCacheTest, TheWriterReadsItsOwnWriteAtOnce) {
  FakeStore store("v1");
  EXPECT_EQ(Read(*a_, "k", store), "v1");
  store.Write("v2");
  ASSERT_TRUE(a_->near->Invalidate("generation").ok());
  EXPECT_EQ(Read(*a_, "k", store), "v2");
  EXPECT_EQ(a_->Near("source", "local"), 1);
}

TEST_F(NearCacheTest, AnotherReplicasInvalidationReachesThisNearCache) {
  FakeStore store("v1");
  EXPECT_EQ(Read(*b_, "k", store), "v1");
  EXPECT_EQ(Read(*b_, "k", store), "v1");
  ASSERT_EQ(b_->Near("result", "hit"), 1);
  store.Write("v2");
  ASSERT_TRUE(a_->near->Invalidate("generation").ok());
  EXPECT_TRUE(Eventually([&] { return Read(*b_, "k", store) == "v2"; }))
      << "the other replica kept its copy";
  EXPECT_EQ(b_->Near("source", "remote"), 1);
  // Another cache's scope of the same name is not this one's. Messages on the channel arrive
  // in order, so once b has heard the later one it has heard the hubs one.
  CacheOptions other;
  other.service = "hubs";
  other.name = "listings";
  prometheus::Registry hubs_registry;
  Cache hubs(*a_->pool, other, hubs_registry);
  NearCache hubs_near(hubs, Options(), hubs_registry);
  ASSERT_TRUE(hubs_near.Invalidate("generation").ok());
  ASSERT_TRUE(a_->near->Invalidate("another-scope").ok());
  ASSERT_TRUE(Eventually([&] { return b_->Near("source", "remote") == 2; }));
  const double hits = b_->Near("result", "hit");
  EXPECT_EQ(Read(*b_, "k", store), "v2");
  EXPECT_EQ(b_->Near("result", "hit"), hits + 1) << "the hubs scope dropped this copy";
}

TEST_F(NearCacheTest, KilledRedisBypassesTheNearCacheAndFlushesItOnReconnect) {
  FakeStore store("v1");
  EXPECT_EQ(Read(*a_, "k", store), "v1");
  ASSERT_TRUE(server_->Kill().ok());
  ASSERT_TRUE(Eventually([&] { return !a_->near->subscribed(); }));
  EXPECT_EQ(a_->near->size(), 0u);
  store.Write("v2");  // no invalidation can be heard now
  EXPECT_EQ(Read(*a_, "k", store), "v2");
  EXPECT_EQ(a_->near->size(), 0u) << "nothing is kept while not subscribed";
  EXPECT_GE(a_->Near("result", "bypass"), 1);
  ASSERT_TRUE(server_->Start().ok());
  ASSERT_TRUE(Eventually([&] { return a_->near->subscribed(); }, absl::Seconds(5)));
  EXPECT_EQ(Read(*a_, "k", store), "v2");
  const int loads = store.loads();
  EXPECT_EQ(Read(*a_, "k", store), "v2");
  EXPECT_EQ(store.loads(), loads) << "served from memory again";
}

TEST_F(NearCacheTest, PausedRedisBypassesTheNearCache) {
  FakeStore store("v1");
  EXPECT_EQ(Read(*a_, "k", store), "v1");
  ASSERT_TRUE(server_->Pause(absl::Seconds(2)).ok());
  ASSERT_TRUE(Eventually([&] { return !a_->near->subscribed(); }));
  store.Write("v2");
  EXPECT_EQ(Read(*a_, "k", store), "v2") << "read from the store, Redis does not answer";
  ASSERT_TRUE(Eventually([&] { return a_->near->subscribed(); }, absl::Seconds(5)));
}

// The racing-load pattern of cache_test: a load reads the store, a write and its
// invalidation happen, then the load finishes. Its answer must not stay in memory.
class RacingLoadTest : public NearCacheTest, public ::testing::WithParamInterface<bool> {};

TEST_P(RacingLoadTest, ALoadThatReadTheStoreBeforeAWriteIsNotKept) {
  const bool remote = GetParam();
  FakeStore store("old");
  ASSERT_EQ(Read(*a_, "other", store), "old");
  absl::Notification loading, release;
  Cache::Loader stalled = [&]() -> absl::StatusOr<std::string> {
    absl::StatusOr<std::string> v = store.Read();
    loading.Notify();
    release.WaitForNotification();
    return v;
  };
  std::thread reader([&] {
    EXPECT_EQ(Text(a_->near->GetOrLoadScoped("generation", absl::Hours(1), "k", kTtl, stalled)),
              "old");
  });
  loading.WaitForNotification();
  store.Write("new");
  ASSERT_TRUE((remote ? b_ : a_)->near->Invalidate("generation").ok());
  // Every message is heard (a's own too) before the load ends, so only the epoch check
  // keeps its old answer out of memory.
  ASSERT_TRUE(Eventually([&] { return a_->Near("source", "remote") == 1; }));
  release.Notify();
  reader.join();
  EXPECT_EQ(Read(*a_, "k", store), "new");
  EXPECT_EQ(Read(*a_, "k", store), "new");
}

INSTANTIATE_TEST_SUITE_P(LocalAndRemote, RacingLoadTest, ::testing::Bool());

TEST_F(NearCacheTest, EntriesAndBytesAreBoundedLeastRecentlyUsedFirst) {
  NearCacheOptions o = Options();
  o.max_entries = 3;
  o.max_bytes = 200;
  auto c = MakeReplica(o);
  ASSERT_TRUE(Eventually([&] { return c->near->subscribed(); }));
  FakeStore store("0123456789");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Read(*c, absl::StrCat("k", i), store), "0123456789");
  EXPECT_EQ(c->near->size(), 3u);
  EXPECT_EQ(Read(*c, "k7", store), "0123456789");  // k7 becomes the most recent
  EXPECT_EQ(Read(*c, "k0", store), "0123456789");  // a miss that evicts k8
  const double hits = c->Near("result", "hit");
  EXPECT_EQ(Read(*c, "k7", store), "0123456789");
  EXPECT_EQ(c->Near("result", "hit"), hits + 1);
  EXPECT_EQ(Read(*c, "k8", store), "0123456789");
  EXPECT_EQ(c->Near("result", "hit"), hits + 1) << "k8 was evicted";

  FakeStore big(std::string(120, 'x'));
  EXPECT_EQ(Read(*c, "big1", big), std::string(120, 'x'));
  EXPECT_EQ(Read(*c, "big2", big), std::string(120, 'x'));
  EXPECT_LE(c->near->bytes(), 200u);
  FakeStore huge(std::string(300, 'y'));
  EXPECT_EQ(Read(*c, "huge", huge), std::string(300, 'y'));
  EXPECT_LE(c->near->bytes(), 200u);
}

TEST_F(NearCacheTest, CopiesExpireAfterMaxAge) {
  NearCacheOptions o = Options();
  o.max_age = absl::Milliseconds(50);
  auto c = MakeReplica(o);
  ASSERT_TRUE(Eventually([&] { return c->near->subscribed(); }));
  FakeStore store("v1");
  EXPECT_EQ(Read(*c, "k", store), "v1");
  std::this_thread::sleep_for(std::chrono::milliseconds(80));  // the age is the behaviour
  const double misses = c->Near("result", "miss");
  EXPECT_EQ(Read(*c, "k", store), "v1");
  EXPECT_EQ(c->Near("result", "miss"), misses + 1);
}

}  // namespace
}  // namespace etnik::redis
