#ifndef ETNIK_COMMON_OUTBOX_OUTBOX_TEST_ENV_H_
#define ETNIK_COMMON_OUTBOX_OUTBOX_TEST_ENV_H_

// Test-only: a producer database (outbox + a `state` table standing for the service's own
// rows), a consumer database (processed_events + an `effects` table recording handler side
// effects, deliberately without a unique key so duplicates would show), both on the engine
// under test, and a private redis-server. Every case runs on SQLite and on PostgreSQL.
// (On PostgreSQL both are handles on one database; the tables do not overlap.)

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "common/db/engine.h"
#include "common/db/migrations.h"
#include "common/outbox/outbox.h"
#include "common/outbox/processed_events.h"
#include "common/outbox/stream_consumer.h"
#include "common/outbox/stream_event.h"
#include "common/redis/redis_pool.h"
#include "common/redis/test_metrics.h"
#include "common/testing/postgres_server.h"
#include "common/testing/redis_server.h"
#include "common/testing/sqlite_temp_database.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "soci/soci.h"

namespace etnik::outbox {

inline constexpr char kStream[] = "etnik:events:test";
inline constexpr char kGroup[] = "test-consumers";
inline constexpr char kType[] = "etnik.events.v1.Test";

// A payload with a NUL, high bytes and the id, so binary safety is checked end to end.
inline std::string PayloadFor(const std::string& event_id) {
  return std::string("\0\x01\xff\x80|", 5) + event_id;
}

// Polls `cond` every 5 ms until it holds or `timeout` passes; returns whether it held.
inline bool WaitUntil(const std::function<bool()>& cond, absl::Duration timeout = absl::Seconds(15)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!cond()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

class OutboxTestBase : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    producer_ = OpenDatabase();
    ASSERT_NE(producer_, nullptr);
    consumer_db_ = OpenDatabase();
    ASSERT_NE(consumer_db_, nullptr);
    if (!UsesRedis()) return;
    absl::StatusOr<std::unique_ptr<test::RedisServer>> server = test::RedisServer::Launch();
    ASSERT_TRUE(server.ok()) << server.status();
    redis_server_ = std::move(*server);
    redis::RedisOptions base;
    base.breaker.failure_threshold = 3;
    base.breaker.open_for = kBreakerOpenFor;
    absl::StatusOr<redis::RedisOptions> options = redis::ParseRedisUrl(redis_server_->url(), base);
    ASSERT_TRUE(options.ok()) << options.status();
    redis_ = std::make_unique<redis::RedisPool>(*options, clock_, registry_);
  }

  virtual bool UsesRedis() const { return true; }

  void TearDown() override {
    redis_.reset();
    producer_.reset();
    consumer_db_.reset();
  }

  // Every database gets all four tables. SQLite: a file per call. PostgreSQL: one database per
  // test, each call another Database handle on it (creating databases is the slow part).
  std::unique_ptr<db::Database> OpenDatabase() {
    std::string url;
    if (GetParam() == db::Engine::kSqlite) {
      auto temp = test::TempSqliteDatabase::Create();
      EXPECT_TRUE(temp.ok()) << temp.status();
      if (!temp.ok()) return nullptr;
      url = (*temp)->url();
      sqlite_files_.push_back(std::move(*temp));
    } else {
      if (postgres_db_ == nullptr) {
        auto temp = test::TempPostgresDatabase::Create();
        EXPECT_TRUE(temp.ok()) << temp.status();
        if (!temp.ok()) return nullptr;
        postgres_db_ = std::move(*temp);
      }
      url = postgres_db_->url();
    }
    db::DatabaseOptions options;
    options.clock = &clock_;
    absl::StatusOr<std::unique_ptr<db::Database>> db = db::Database::Open(url, options);
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return nullptr;
    absl::StatusOr<int> version = db::ApplyMigrations(
        **db, {OutboxMigration(1),
               {2, "create_state", "CREATE TABLE state (id TEXT PRIMARY KEY)", "", ""},
               ProcessedEventsMigration(3),
               {4, "create_effects",
                "CREATE TABLE effects (event_id TEXT NOT NULL, entry_id TEXT NOT NULL,"
                " consumer TEXT NOT NULL)",
                "", ""}});
    EXPECT_TRUE(version.ok()) << version.status();
    return std::move(*db);
  }

  OutboxMessage Message(const std::string& event_id) const {
    OutboxMessage m;
    m.event_id = event_id;
    m.stream = kStream;
    m.type = kType;
    m.payload = PayloadFor(event_id);
    m.created = clock_.Now();
    return m;
  }

  // The service's write: its own row and the event in one transaction, committed or not.
  absl::Status Write(const std::string& event_id, bool commit = true) {
    return producer_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      std::string id = event_id;
      s << "INSERT INTO state (id) VALUES (:id)", soci::use(id);
      absl::Status enqueued = Enqueue(s, Message(event_id));
      if (!enqueued.ok()) return enqueued;
      return commit ? absl::OkStatus() : absl::AbortedError("the service changed its mind");
    });
  }

  // The handler's side effect: one `effects` row per handled event; a payload that did not
  // survive the trip fails the handler.
  EventHandler EffectsHandler(const std::string& consumer) {
    return [consumer](soci::session& s, const StreamEvent& e) -> absl::Status {
      if (e.payload != PayloadFor(e.event_id) || e.type != kType) {
        return absl::DataLossError(absl::StrCat("payload of ", e.event_id, " changed in transit"));
      }
      std::string event_id = e.event_id, entry_id = e.entry_id, c = consumer;
      s << "INSERT INTO effects (event_id, entry_id, consumer) VALUES (:e, :i, :c)",
          soci::use(event_id), soci::use(entry_id), soci::use(c);
      return absl::OkStatus();
    };
  }

  static int64_t Count(db::Database& db, const std::string& sql) {
    long long n = -1;
    absl::Status status = db.InTransaction(db::TxMode::kRead, [&](soci::session& s) {
      s << sql, soci::into(n);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return n;
  }
  int64_t Effects() { return Count(*consumer_db_, "SELECT COUNT(*) FROM effects"); }
  int64_t DistinctEffects() {
    return Count(*consumer_db_, "SELECT COUNT(DISTINCT event_id) FROM effects");
  }
  int64_t Pending() { return Count(*producer_, "SELECT COUNT(*) FROM outbox WHERE published_us IS NULL"); }

  // Entries of a stream, read through the pool (Redis must be up).
  std::vector<StreamEntry> Range(const std::string& stream) {
    absl::StatusOr<redis::Reply> reply = redis_->Command("XRANGE", stream, "-", "+");
    EXPECT_TRUE(reply.ok()) << reply.status();
    if (!reply.ok()) return {};
    absl::StatusOr<std::vector<StreamEntry>> entries = ParseEntries(*reply);
    EXPECT_TRUE(entries.ok()) << entries.status();
    return entries.ok() ? *entries : std::vector<StreamEntry>{};
  }
  int64_t StreamLength(const std::string& stream) {
    absl::StatusOr<redis::Reply> reply = redis_->Command("XLEN", stream);
    return reply.ok() && reply->is_integer() ? reply->integer : -1;
  }
  // Entries delivered to the group and not acknowledged (XPENDING summary).
  int64_t GroupPending() {
    absl::StatusOr<redis::Reply> reply = redis_->Command("XPENDING", kStream, kGroup);
    if (!reply.ok() || !reply->is_array() || reply->elements.empty()) return -1;
    return reply->elements[0].integer;
  }

  double Metric(const std::string& name, const std::map<std::string, std::string>& labels = {}) {
    return redis::MetricValue(registry_, name, labels);
  }
  double Consumed(const std::string& result) {
    return Metric("etnik_events_consumed_total",
                  {{"stream", kStream}, {"group", kGroup}, {"result", result}});
  }

  static constexpr absl::Duration kBreakerOpenFor = absl::Seconds(1);

  FakeClock clock_;
  prometheus::Registry registry_;
  std::vector<std::unique_ptr<test::TempSqliteDatabase>> sqlite_files_;
  std::unique_ptr<test::TempPostgresDatabase> postgres_db_;
  std::unique_ptr<db::Database> producer_;
  std::unique_ptr<db::Database> consumer_db_;
  std::unique_ptr<test::RedisServer> redis_server_;
  std::unique_ptr<redis::RedisPool> redis_;
};

inline std::string EngineName(const ::testing::TestParamInfo<db::Engine>& info) {
  return info.param == db::Engine::kSqlite ? "Sqlite" : "Postgres";
}

#define ETNIK_INSTANTIATE_OUTBOX_SUITE(suite)                                               \
  INSTANTIATE_TEST_SUITE_P(Engines, suite,                                                  \
                           ::testing::Values(::etnik::db::Engine::kSqlite,                  \
                                             ::etnik::db::Engine::kPostgres),               \
                           ::etnik::outbox::EngineName)

}  // namespace etnik::outbox

#endif  // ETNIK_COMMON_OUTBOX_OUTBOX_TEST_ENV_H_
