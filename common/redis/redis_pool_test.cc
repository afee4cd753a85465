#include "common/redis/redis_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "common/redis/test_metrics.h"
#include "common/testing/redis_server.h"
#include "gtest/gtest.h"

namespace etnik::redis {
namespace {

using ::etnik::test::RedisServer;

// Failed commands compare unequal to any expected reply instead of aborting the test.
Reply Ok(absl::StatusOr<Reply> r) {
  return r.ok() ? *std::move(r) : Reply::Error(r.status().ToString());
}
std::string Text(absl::StatusOr<std::string> r) {
  return r.ok() ? *std::move(r) : "<" + r.status().ToString() + ">";
}

class RedisPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Launch();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  // Options for the test server with the given pool size, breaker threshold and timeouts.
  static RedisOptions With(int pool_size, int failure_threshold,
                           absl::Duration open_for = absl::Seconds(30),
                           absl::Duration command_timeout = absl::Milliseconds(250)) {
    RedisOptions o;
    o.pool_size = pool_size;
    o.breaker.failure_threshold = failure_threshold;
    o.breaker.open_for = open_for;
    o.command_timeout = command_timeout;
    return o;
  }

  std::unique_ptr<RedisPool> MakePool(RedisOptions base = {}) {
    absl::StatusOr<RedisOptions> options = ParseRedisUrl(server_->url(), base);
    EXPECT_TRUE(options.ok()) << options.status();
    return std::make_unique<RedisPool>(*options, clock_, registry_);
  }

  // Holds `n` connections at once (each blocks 100 ms in BLPOP) so the pool has n open.
  void OpenAllConnections(RedisPool& pool, int n) {
    std::vector<std::thread> threads;
    for (int t = 0; t < n; ++t) {
      threads.emplace_back([&] { EXPECT_TRUE(pool.Command("BLPOP", "nothing", "0.1").ok()); });
    }
    for (auto& t : threads) t.join();
    absl::StatusOr<std::string> clients = server_->Execute({"CLIENT", "LIST"});
    ASSERT_TRUE(clients.ok());
    ASSERT_EQ(std::count(clients->begin(), clients->end(), '\n'), n + 1) << *clients;
  }

  FakeClock clock_;
  prometheus::Registry registry_;
  std::unique_ptr<RedisServer> server_;
};

TEST_F(RedisPoolTest, RunsCommandsAndOwnsTheReplies) {
  auto pool = MakePool();
  EXPECT_EQ(Ok(pool->Command("SET", "k", "v")), Reply::Status("OK"));
  EXPECT_EQ(Ok(pool->Command("GET", "k")), Reply::String("v"));
  EXPECT_EQ(Ok(pool->Command("GET", "missing")), Reply::Nil());
  EXPECT_EQ(Ok(pool->Command("INCRBY", "n", 41)), Reply::Integer(41));
  EXPECT_EQ(Ok(pool->Command("INCR", "n")), Reply::Integer(42));
  EXPECT_EQ(Ok(pool->Command("RPUSH", "list", "a", "b")), Reply::Integer(2));
  EXPECT_EQ(Ok(pool->Command("LRANGE", "list", 0, -1)),
            Reply::Array({Reply::String("a"), Reply::String("b")}));
  std::vector<std::string> argv = {"DEL", "k", "n", "list"};
  EXPECT_EQ(Ok(pool->CommandArgv(absl::MakeConstSpan(argv))), Reply::Integer(3));
}

TEST_F(RedisPoolTest, ErrorReplyIsInternalWithRedisMessage) {
  auto pool = MakePool();
  ASSERT_TRUE(pool->Command("RPUSH", "list", "a").ok());
  absl::StatusOr<Reply> r = pool->Command("INCR", "list");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(r.status().message().find("WRONGTYPE"), absl::string_view::npos) << r.status();
  EXPECT_EQ(MetricValue(registry_, "etnik_redis_errors_total", {{"kind", "reply"}}), 1);
  // An error reply is an answer: the connection stays usable and the breaker closed.
  EXPECT_EQ(Ok(pool->Command("LLEN", "list")), Reply::Integer(1));
  EXPECT_EQ(pool->breaker().state(), CircuitBreaker::State::kClosed);
}

TEST_F(RedisPoolTest, ValuesAndKeysAreBinarySafe) {
  auto pool = MakePool();
  const std::string key = std::string("ключ") + '\0' + "ещё";
  const std::string value = std::string("a\0b\r\n\xff", 6) + "Этнокультурный хаб";
  ASSERT_EQ(key.size(), 15u);  // 4 + 3 two-byte letters and the \0
  ASSERT_TRUE(pool->Command("SET", key, value).ok());
  absl::StatusOr<Reply> got = pool->Command("GET", key);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->str, value);
  EXPECT_EQ(Ok(pool->Command("STRLEN", key)), Reply::Integer(static_cast<int64_t>(value.size())));
  // The key with its \0 is one key, not a truncated "ключ".
  EXPECT_EQ(Ok(pool->Command("EXISTS", "ключ")), Reply::Integer(0));
}

TEST_F(RedisPoolTest, SelectsTheDatabaseOfTheUrl) {
  absl::StatusOr<RedisOptions> options = ParseRedisUrl(server_->url() + "/2");
  ASSERT_TRUE(options.ok());
  RedisPool pool(*options, clock_, registry_);
  ASSERT_TRUE(pool.Command("SET", "in-db-2", "x").ok());
  EXPECT_EQ(Text(server_->Execute({"EXISTS", "in-db-2"})), "0");  // db 0
  EXPECT_EQ(Ok(pool.Command("EXISTS", "in-db-2")), Reply::Integer(1));
}

TEST_F(RedisPoolTest, ManyThreadsShareFewConnections) {
  auto pool = MakePool(With(3, 5));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (!pool->Command("INCR", "counter").ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Ok(pool->Command("GET", "counter")), Reply::String("3200"));
  absl::StatusOr<std::string> clients = server_->Execute({"CLIENT", "LIST"});
  ASSERT_TRUE(clients.ok());
  // 3 pooled connections + the one asking.
  EXPECT_EQ(std::count(clients->begin(), clients->end(), '\n'), 4) << *clients;
}

TEST_F(RedisPoolTest, ReconnectsAfterTheServerRestarts) {
  auto pool = MakePool(With(4, 100));
  OpenAllConnections(*pool, 4);  // all four will go stale

  ASSERT_TRUE(server_->Stop().ok());
  absl::StatusOr<Reply> down = pool->Command("GET", "k");
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable) << down.status();

  ASSERT_TRUE(server_->Start().ok());
  // The failure above dropped every idle connection, so the very next command works.
  EXPECT_EQ(Ok(pool->Command("SET", "k", "after")), Reply::Status("OK"));
  EXPECT_EQ(Ok(pool->Command("GET", "k")), Reply::String("after"));
}

TEST_F(RedisPoolTest, OneStaleConnectionFailureAfterACrashNotOnePerConnection) {
  auto pool = MakePool(With(4, 100));
  OpenAllConnections(*pool, 4);
  ASSERT_TRUE(server_->Kill().ok());
  ASSERT_TRUE(server_->Start().ok());
  int failed = 0;
  for (int i = 0; i < 6; ++i) failed += pool->Command("PING").ok() ? 0 : 1;
  EXPECT_LE(failed, 1);
  EXPECT_TRUE(pool->Command("PING").ok());
}

TEST_F(RedisPoolTest, PausedServerTimesOutWithinTheCommandTimeout) {
  const absl::Duration timeout = absl::Milliseconds(150);
  auto pool = MakePool(With(4, 100, absl::Seconds(30), timeout));
  ASSERT_TRUE(pool->Command("SET", "k", "v").ok());  // connection already open
  ASSERT_TRUE(server_->Pause(absl::Milliseconds(1500)).ok());

  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<Reply> r = pool->Command("GET", "k");
  const absl::Duration elapsed = absl::FromChrono(std::chrono::steady_clock::now() - start);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDeadlineExceeded) << r.status();
  EXPECT_LT(elapsed, 2 * timeout);
  EXPECT_EQ(MetricValue(registry_, "etnik_redis_errors_total", {{"kind", "timeout"}}), 1);

  // Once the pause ends the pool answers again on a fresh connection, never with the late
  // reply to the timed-out GET.
  absl::SleepFor(absl::Milliseconds(1600));
  ASSERT_TRUE(pool->Command("SET", "k2", "v2").ok());
  EXPECT_EQ(Ok(pool->Command("GET", "k2")), Reply::String("v2"));
}

TEST_F(RedisPoolTest, UnreachableServerIsUnavailable) {
  auto pool = MakePool(With(4, 100));
  ASSERT_TRUE(server_->Stop().ok());
  absl::StatusOr<Reply> r = pool->Command("PING");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(IsCircuitOpen(r.status()));
  EXPECT_EQ(MetricValue(registry_, "etnik_redis_errors_total", {{"kind", "connect"}}), 1);
}

TEST_F(RedisPoolTest, BreakerFailsFastWhileOpenAndClosesWhenRedisIsBack) {
  auto pool = MakePool(With(4, 2, absl::Seconds(30)));
  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_FALSE(IsCircuitOpen(pool->Command("PING").status()));
  EXPECT_FALSE(IsCircuitOpen(pool->Command("PING").status()));
  EXPECT_EQ(pool->breaker().state(), CircuitBreaker::State::kOpen);
  EXPECT_EQ(MetricValue(registry_, "etnik_redis_breaker_state", {{"name", "redis"}}), 2);

  const double connect_errors =
      MetricValue(registry_, "etnik_redis_errors_total", {{"kind", "connect"}});
  absl::StatusOr<Reply> fast = pool->Command("PING");
  EXPECT_TRUE(IsCircuitOpen(fast.status())) << fast.status();
  // Fail-fast does not touch the network.
  EXPECT_EQ(MetricValue(registry_, "etnik_redis_errors_total", {{"kind", "connect"}}),
            connect_errors);

  ASSERT_TRUE(server_->Start().ok());
  EXPECT_TRUE(IsCircuitOpen(pool->Command("PING").status()));  // still cooling down
  clock_.Advance(absl::Seconds(30));
  EXPECT_EQ(Ok(pool->Command("PING")), Reply::Status("PONG"));  // the probe
  EXPECT_EQ(pool->breaker().state(), CircuitBreaker::State::kClosed);
  EXPECT_EQ(MetricValue(registry_, "etnik_redis_breaker_state", {{"name", "redis"}}), 0);
}

TEST_F(RedisPoolTest, EveryCommandIsTimed) {
  auto pool = MakePool();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pool->Command("PING").ok());
  EXPECT_EQ(MetricValue(registry_, "etnik_redis_command_duration_seconds"), 5);
}

}  // namespace
}  // namespace etnik::redis
