// OutboxRelay against a real redis-server, with the outbox on SQLite and on PostgreSQL.

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "common/outbox/outbox_relay.h"
#include "common/outbox/outbox_test_env.h"
#include "gtest/gtest.h"

namespace etnik::outbox {
namespace {

class OutboxRelayTest : public OutboxTestBase {
 protected:
  static OutboxRelayOptions FastOptions() {
    OutboxRelayOptions o;
    o.poll_interval = absl::Milliseconds(50);
    o.initial_backoff = absl::Milliseconds(20);
    o.max_backoff = absl::Milliseconds(200);
    return o;
  }
  std::unique_ptr<OutboxRelay> MakeRelay(OutboxRelayOptions options = FastOptions(),
                                         db::Database* db = nullptr) {
    return std::make_unique<OutboxRelay>(db != nullptr ? *db : *producer_, *redis_, clock_,
                                         registry_, std::move(options));
  }
  std::vector<std::string> StreamEventIds() {
    std::vector<std::string> ids;
    for (const StreamEntry& e : Range(kStream)) {
      const std::string* id = e.Field(kFieldEventId);
      ids.push_back(id != nullptr ? *id : "<none>");
    }
    return ids;
  }
};

TEST_P(OutboxRelayTest, PublishesCommittedRowsOnceInOrderAndBinarySafe) {
  ASSERT_TRUE(Write("e1").ok());
  ASSERT_FALSE(Write("rolled-back", /*commit=*/false).ok());
  ASSERT_TRUE(Write("e2").ok());
  ASSERT_TRUE(Write("e3").ok());
  auto relay = MakeRelay();

  absl::StatusOr<int> published = relay->Drain();
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(*published, 3);
  std::vector<StreamEntry> entries = Range(kStream);
  ASSERT_EQ(entries.size(), 3u);
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string id = absl::StrCat("e", i + 1);
    ASSERT_NE(entries[i].Field(kFieldEventId), nullptr);
    EXPECT_EQ(*entries[i].Field(kFieldEventId), id);
    EXPECT_EQ(*entries[i].Field(kFieldType), kType);
    EXPECT_EQ(*entries[i].Field(kFieldPayload), PayloadFor(id));
  }

  // Published once: a second pass finds nothing.
  published = relay->Drain();
  ASSERT_TRUE(published.ok());
  EXPECT_EQ(*published, 0);
  EXPECT_EQ(StreamLength(kStream), 3);
  EXPECT_EQ(Pending(), 0);
  ASSERT_TRUE(relay->RefreshBacklog().ok());
  EXPECT_EQ(Metric("etnik_outbox_backlog"), 0);
  EXPECT_EQ(Metric("etnik_outbox_published_total"), 3);
  EXPECT_EQ(Metric("etnik_outbox_relay_lag_seconds"), 3);  // samples
}

TEST_P(OutboxRelayTest, DrainsManyBatchesInSeqOrder) {
  OutboxRelayOptions options = FastOptions();
  options.batch_size = 7;
  auto relay = MakeRelay(options);
  std::vector<std::string> written;
  for (int i = 0; i < 50; ++i) {
    written.push_back(absl::StrFormat("e%03d", i));
    ASSERT_TRUE(Write(written.back()).ok());
  }
  absl::StatusOr<int> first = relay->PublishOnce();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 7);
  absl::StatusOr<int> rest = relay->Drain();
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(*rest, 43);
  EXPECT_EQ(StreamEventIds(), written);
}

TEST_P(OutboxRelayTest, NotifyPublishesWithoutWaitingForThePoll) {
  OutboxRelayOptions options = FastOptions();
  options.poll_interval = absl::Hours(1);
  auto relay = MakeRelay(options);
  ASSERT_TRUE(Write("before-start").ok());
  ASSERT_TRUE(relay->Start().ok());
  // The first round runs at start; after it the thread sleeps for an hour unless notified.
  ASSERT_TRUE(WaitUntil([&] { return StreamLength(kStream) == 1; }));
  ASSERT_TRUE(Write("after-start").ok());
  relay->Notify();
  EXPECT_TRUE(WaitUntil([&] { return StreamLength(kStream) == 2; }, absl::Seconds(10)));
  relay->Stop();
  EXPECT_EQ(StreamEventIds(), (std::vector<std::string>{"before-start", "after-start"}));
}

TEST_P(OutboxRelayTest, TrimsStreamsToAboutMaxLength) {
  OutboxRelayOptions options = FastOptions();
  options.max_stream_length = 10;
  options.batch_size = 500;
  auto relay = MakeRelay(options);
  ASSERT_TRUE(producer_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    for (int i = 0; i < 300; ++i) {
      absl::Status st = Enqueue(s, Message(absl::StrCat("e", i)));
      if (!st.ok()) return st;
    }
    return absl::OkStatus();
  }).ok());
  absl::StatusOr<int> published = relay->Drain();
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(*published, 300);
  // "~" trims whole stream nodes (100 entries by default), so the length stays near the cap.
  const int64_t length = StreamLength(kStream);
  EXPECT_GE(length, 10);
  EXPECT_LE(length, 110);
}

TEST_P(OutboxRelayTest, RedisDownKeepsRowsPendingUntilItReturns) {
  auto relay = MakeRelay();
  ASSERT_TRUE(redis_server_->Stop().ok());
  for (const char* id : {"e1", "e2", "e3"}) ASSERT_TRUE(Write(id).ok());
  absl::StatusOr<int> published = relay->PublishOnce();
  EXPECT_EQ(published.status().code(), absl::StatusCode::kUnavailable) << published.status();
  EXPECT_EQ(Pending(), 3);
  absl::StatusOr<int64_t> backlog = relay->RefreshBacklog();
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(*backlog, 3);
  EXPECT_EQ(Metric("etnik_outbox_backlog"), 3);
  EXPECT_EQ(Metric("etnik_outbox_published_total"), 0);

  ASSERT_TRUE(redis_server_->Start().ok());
  clock_.Advance(kBreakerOpenFor);  // let the breaker probe again
  published = relay->Drain();
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(*published, 3);
  EXPECT_EQ(StreamEventIds(), (std::vector<std::string>{"e1", "e2", "e3"}));
  EXPECT_EQ(Pending(), 0);
}

TEST_P(OutboxRelayTest, DeletesOnlyPublishedRowsPastRetention) {
  OutboxRelayOptions options = FastOptions();
  options.retention = absl::Hours(24);
  auto relay = MakeRelay(options);
  for (const char* id : {"old1", "old2", "old3"}) ASSERT_TRUE(Write(id).ok());
  ASSERT_TRUE(relay->Drain().ok());
  clock_.Advance(absl::Hours(25));
  ASSERT_TRUE(Write("recent").ok());
  ASSERT_TRUE(relay->Drain().ok());
  ASSERT_TRUE(Write("pending").ok());

  absl::StatusOr<int> deleted = relay->DeleteExpired();
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 3);
  EXPECT_EQ(Count(*producer_, "SELECT COUNT(*) FROM outbox"), 2);
  EXPECT_EQ(Pending(), 1);
}

TEST_P(OutboxRelayTest, RejectsBadOptions) {
  OutboxRelayOptions options = FastOptions();
  options.batch_size = 0;
  EXPECT_EQ(MakeRelay(options)->Start().code(), absl::StatusCode::kInvalidArgument);
  options = FastOptions();
  options.max_backoff = absl::Milliseconds(1);
  EXPECT_EQ(MakeRelay(options)->Start().code(), absl::StatusCode::kInvalidArgument);
  auto relay = MakeRelay();
  ASSERT_TRUE(relay->Start().ok());
  EXPECT_EQ(relay->Start().code(), absl::StatusCode::kFailedPrecondition);
}

ETNIK_INSTANTIATE_OUTBOX_SUITE(OutboxRelayTest);

// Several replicas of a service, each with its relay, on one PostgreSQL database: the advisory
// lock lets one publish at a time, so every row goes out exactly once and in seq order.
class OutboxRelayReplicasTest : public OutboxRelayTest {};

TEST_P(OutboxRelayReplicasTest, ConcurrentRelaysPublishEachRowOnceInOrder) {
  db::DatabaseOptions db_options;
  db_options.clock = &clock_;
  absl::StatusOr<std::unique_ptr<db::Database>> replica_db =
      db::Database::Open(postgres_db_->url(), db_options);
  ASSERT_TRUE(replica_db.ok()) << replica_db.status();
  OutboxRelayOptions options = FastOptions();
  options.poll_interval = absl::Milliseconds(5);
  options.batch_size = 10;
  auto a = MakeRelay(options);
  auto b = MakeRelay(options, replica_db->get());
  ASSERT_TRUE(a->Start().ok());
  ASSERT_TRUE(b->Start().ok());
  std::vector<std::string> written;
  for (int i = 0; i < 200; ++i) {
    written.push_back(absl::StrFormat("e%03d", i));
    ASSERT_TRUE(Write(written.back()).ok());
    (i % 2 == 0 ? a : b)->Notify();
  }
  ASSERT_TRUE(WaitUntil([&] { return Pending() == 0; }));
  a->Stop();
  b->Stop();
  EXPECT_EQ(StreamEventIds(), written);
  EXPECT_EQ(Metric("etnik_outbox_published_total"), 200);
}

INSTANTIATE_TEST_SUITE_P(Postgres, OutboxRelayReplicasTest,
                         ::testing::Values(db::Engine::kPostgres), EngineName);

}  // namespace
}  // namespace etnik::outbox
