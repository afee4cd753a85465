// Fault tests of the whole path: service transaction -> outbox -> relay -> Redis stream ->
// consumer group -> handler transaction, with real servers (redis-server stopped and started
// again; the producer's and the consumer's databases on SQLite and on PostgreSQL).

#include <atomic>
#include <string>
#include <vector>

#include "common/outbox/outbox_relay.h"
#include "common/outbox/outbox_test_env.h"
#include "common/outbox/stream_consumer.h"
#include "gtest/gtest.h"

namespace etnik::outbox {
namespace {

class OutboxFaultTest : public OutboxTestBase {
 protected:
  std::unique_ptr<OutboxRelay> MakeRelay(
      std::function<absl::Status(absl::Span<const std::string>)> hook = nullptr) {
    OutboxRelayOptions o;
    o.poll_interval = absl::Milliseconds(50);
    o.initial_backoff = absl::Milliseconds(20);
    o.max_backoff = absl::Milliseconds(200);
    o.after_publish_hook = std::move(hook);
    return std::make_unique<OutboxRelay>(*producer_, *redis_, clock_, registry_, o);
  }
  std::unique_ptr<StreamConsumer> MakeConsumer(const std::string& name, EventHandler handler,
                                               absl::Duration claim_interval = absl::Milliseconds(50)) {
    StreamConsumerOptions o;
    o.stream = kStream;
    o.group = kGroup;
    o.consumer = name;
    o.batch_size = 10;
    o.block = absl::Milliseconds(50);
    o.claim_idle = absl::Milliseconds(200);
    o.claim_interval = claim_interval;
    o.initial_backoff = absl::Milliseconds(20);
    o.max_backoff = absl::Milliseconds(200);
    return std::make_unique<StreamConsumer>(*consumer_db_, *redis_, clock_, registry_, o,
                                            std::move(handler));
  }
  // A service write followed by the wake-up hint, as a store adapter does after its commit.
  void WriteAndNotify(OutboxRelay& relay, const std::string& id) {
    ASSERT_TRUE(Write(id).ok()) << id;
    relay.Notify();
  }
  int64_t EffectsBy(const std::string& consumer) {
    return Count(*consumer_db_, "SELECT COUNT(*) FROM effects WHERE consumer = '" + consumer + "'");
  }
  std::vector<std::string> EffectIds() {
    std::vector<std::string> ids;
    EXPECT_TRUE(consumer_db_->InTransaction(db::TxMode::kRead, [&](soci::session& s) {
      soci::rowset<std::string> rows = (s.prepare << "SELECT event_id FROM effects ORDER BY event_id");
      ids.assign(rows.begin(), rows.end());
      return absl::OkStatus();
    }).ok());
    return ids;
  }
};

TEST_P(OutboxFaultTest, OnlyCommittedWritesReachTheConsumerAndOnlyOnce) {
  auto relay = MakeRelay();
  auto consumer = MakeConsumer("c1", EffectsHandler("c1"));
  ASSERT_TRUE(relay->Start().ok());
  ASSERT_TRUE(consumer->Start().ok());
  WriteAndNotify(*relay, "kept1");
  ASSERT_FALSE(Write("rolled-back", /*commit=*/false).ok());
  relay->Notify();
  WriteAndNotify(*relay, "kept2");
  ASSERT_TRUE(WaitUntil([&] { return Effects() == 2 && Pending() == 0 && GroupPending() == 0; }));
  EXPECT_EQ(EffectIds(), (std::vector<std::string>{"kept1", "kept2"}));
  EXPECT_EQ(StreamLength(kStream), 2);
  EXPECT_EQ(Consumed("handled"), 2);
  EXPECT_EQ(Consumed("duplicate"), 0);
}

TEST_P(OutboxFaultTest, RedisOutageLosesNothingAndEveryEventIsHandledOnce) {
  auto relay = MakeRelay();
  auto consumer = MakeConsumer("c1", EffectsHandler("c1"));
  ASSERT_TRUE(relay->Start().ok());
  ASSERT_TRUE(consumer->Start().ok());
  for (int i = 0; i < 20; ++i) WriteAndNotify(*relay, absl::StrCat("before-", i));
  // Everything published before the outage is handled and acknowledged (this Redis keeps no
  // data across a restart, so nothing may live only in it).
  ASSERT_TRUE(WaitUntil([&] { return Effects() == 20 && GroupPending() == 0; }));

  ASSERT_TRUE(redis_server_->Stop().ok());
  for (int i = 0; i < 30; ++i) WriteAndNotify(*relay, absl::StrCat("during-", i));  // all commit
  EXPECT_EQ(Count(*producer_, "SELECT COUNT(*) FROM state"), 50);
  ASSERT_TRUE(WaitUntil([&] { return Metric("etnik_outbox_backlog") == 30; }));
  EXPECT_EQ(Pending(), 30);
  EXPECT_EQ(Metric("etnik_outbox_published_total"), 20);
  EXPECT_EQ(Effects(), 20);

  ASSERT_TRUE(redis_server_->Start().ok());
  clock_.Advance(kBreakerOpenFor);  // the breaker lets a probe through
  ASSERT_TRUE(WaitUntil([&] { return Effects() == 50; }));
  ASSERT_TRUE(WaitUntil([&] { return Metric("etnik_outbox_backlog") == 0; }));
  ASSERT_TRUE(WaitUntil([&] { return GroupPending() == 0; }));
  consumer->Stop();
  relay->Stop();
  EXPECT_EQ(Effects(), 50);
  EXPECT_EQ(DistinctEffects(), 50);
  EXPECT_EQ(Pending(), 0);
  EXPECT_EQ(Consumed("handled"), 50);
}

TEST_P(OutboxFaultTest, ConsumerKilledMidBatchHasItsEntriesClaimedByAnother) {
  auto relay = MakeRelay();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Write(absl::StrCat("e", i)).ok());
  ASSERT_TRUE(relay->Drain().ok());

  // Consumer "a" reads the batch of 10, handles 3 and dies: the 7 others stay delivered to it
  // and unacknowledged. It would never claim anything itself.
  std::atomic<StreamConsumer*> a_ptr{nullptr};
  std::atomic<int> a_calls{0};
  EventHandler a_effects = EffectsHandler("a");
  auto a = MakeConsumer("a", [&](soci::session& s, const StreamEvent& e) {
    absl::Status st = a_effects(s, e);
    if (a_calls.fetch_add(1) == 2) a_ptr.load()->Stop();
    return st;
  }, absl::Hours(1));
  a_ptr = a.get();
  ASSERT_TRUE(a->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return EffectsBy("a") == 3; }));
  a->Stop();
  EXPECT_EQ(a_calls.load(), 3);
  EXPECT_EQ(GroupPending(), 7);

  // Consumer "b" claims them once they are idle for claim_idle and handles each once.
  auto b = MakeConsumer("b", EffectsHandler("b"));
  ASSERT_TRUE(b->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return Effects() == 10 && GroupPending() == 0; }));
  b->Stop();
  EXPECT_EQ(EffectsBy("a"), 3);
  EXPECT_EQ(EffectsBy("b"), 7);
  EXPECT_EQ(DistinctEffects(), 10);
  EXPECT_EQ(Metric("etnik_events_redeliveries_total", {{"stream", kStream}, {"group", kGroup}}), 7);
  EXPECT_EQ(Consumed("duplicate"), 0);
}

TEST_P(OutboxFaultTest, RelayKilledBetweenPublishAndMarkIsAbsorbedByTheConsumer) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Write(absl::StrCat("e", i)).ok());
  std::atomic<int> hook_calls{0};
  auto crashing = MakeRelay([&](absl::Span<const std::string> ids) {
    hook_calls.fetch_add(1);
    EXPECT_EQ(ids.size(), 5u);
    return absl::UnavailableError("relay process killed before marking");
  });
  absl::StatusOr<int> round = crashing->PublishOnce();
  EXPECT_EQ(round.status().code(), absl::StatusCode::kUnavailable);
  crashing.reset();
  EXPECT_EQ(hook_calls.load(), 1);
  EXPECT_EQ(StreamLength(kStream), 5);  // published...
  EXPECT_EQ(Pending(), 5);              // ...but not marked

  auto consumer = MakeConsumer("c1", EffectsHandler("c1"));
  ASSERT_TRUE(consumer->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return Effects() == 5; }));

  // The next relay (a restart, or another replica) publishes the same rows again.
  auto relay = MakeRelay();
  ASSERT_TRUE(relay->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return Pending() == 0; }));
  EXPECT_EQ(StreamLength(kStream), 10);
  ASSERT_TRUE(WaitUntil([&] { return Consumed("duplicate") == 5 && GroupPending() == 0; }));
  consumer->Stop();
  relay->Stop();
  EXPECT_EQ(Effects(), 5);
  EXPECT_EQ(DistinctEffects(), 5);
  EXPECT_EQ(Consumed("handled"), 5);
}

ETNIK_INSTANTIATE_OUTBOX_SUITE(OutboxFaultTest);

}  // namespace
}  // namespace etnik::outbox
