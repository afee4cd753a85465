// StreamConsumer against a real redis-server, with its database on SQLite and on PostgreSQL.
// Entries are added with XADD directly, as a relay would.

#include <atomic>
#include <string>
#include <vector>

#include "common/outbox/outbox_test_env.h"
#include "common/outbox/stream_consumer.h"
#include "gtest/gtest.h"

namespace etnik::outbox {
namespace {

class StreamConsumerTest : public OutboxTestBase {
 protected:
  static StreamConsumerOptions FastOptions(const std::string& consumer = "c1") {
    StreamConsumerOptions o;
    o.stream = kStream;
    o.group = kGroup;
    o.consumer = consumer;
    o.block = absl::Milliseconds(50);
    o.claim_idle = absl::Milliseconds(200);
    o.claim_interval = absl::Milliseconds(50);
    o.max_deliveries = 3;
    o.initial_backoff = absl::Milliseconds(20);
    o.max_backoff = absl::Milliseconds(200);
    return o;
  }
  std::unique_ptr<StreamConsumer> MakeConsumer(StreamConsumerOptions options, EventHandler handler) {
    return std::make_unique<StreamConsumer>(*consumer_db_, *redis_, clock_, registry_,
                                            std::move(options), std::move(handler));
  }
  void Add(const std::string& event_id) {
    absl::StatusOr<redis::Reply> r = redis_->Command("XADD", kStream, "*", kFieldEventId, event_id,
                                                     kFieldType, kType, kFieldPayload,
                                                     PayloadFor(event_id));
    ASSERT_TRUE(r.ok()) << r.status();
  }
};

TEST_P(StreamConsumerTest, HandlesEachEntryOnceAndAcknowledgesIt) {
  auto consumer = MakeConsumer(FastOptions(), EffectsHandler("c1"));
  ASSERT_TRUE(consumer->EnsureGroup().ok());
  ASSERT_TRUE(consumer->EnsureGroup().ok());  // BUSYGROUP is fine
  for (const char* id : {"e1", "e2", "e3"}) Add(id);
  absl::StatusOr<int> read = consumer->ReadOnce();
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, 3);
  EXPECT_EQ(Effects(), 3);
  EXPECT_EQ(GroupPending(), 0);
  EXPECT_EQ(Consumed("handled"), 3);
  read = consumer->ReadOnce();
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, 0);
  EXPECT_EQ(Effects(), 3);
}

TEST_P(StreamConsumerTest, NewGroupStartsAtTheBeginningOfTheStream) {
  for (const char* id : {"early1", "early2"}) Add(id);
  auto consumer = MakeConsumer(FastOptions(), EffectsHandler("c1"));
  ASSERT_TRUE(consumer->EnsureGroup().ok());
  ASSERT_TRUE(consumer->ReadOnce().ok());
  EXPECT_EQ(Effects(), 2);
}

TEST_P(StreamConsumerTest, DuplicateEventIdIsSkippedButAcknowledged) {
  auto consumer = MakeConsumer(FastOptions(), EffectsHandler("c1"));
  ASSERT_TRUE(consumer->EnsureGroup().ok());
  Add("e1");
  Add("e1");  // republished by a relay
  ASSERT_TRUE(consumer->ReadOnce().ok());
  EXPECT_EQ(Effects(), 1);
  EXPECT_EQ(GroupPending(), 0);
  EXPECT_EQ(Consumed("handled"), 1);
  EXPECT_EQ(Consumed("duplicate"), 1);
}

TEST_P(StreamConsumerTest, HandlerErrorRollsBackAndTheEntryIsRetriedAfterClaimIdle) {
  std::atomic<int> calls{0};
  EventHandler effects = EffectsHandler("c1");
  auto consumer = MakeConsumer(FastOptions(), [&](soci::session& s, const StreamEvent& e) {
    absl::Status st = effects(s, e);  // written, then rolled back on the first call
    if (calls.fetch_add(1) == 0) return absl::UnavailableError("downstream not ready");
    return st;
  });
  ASSERT_TRUE(consumer->EnsureGroup().ok());
  Add("e1");
  ASSERT_TRUE(consumer->ReadOnce().ok());
  EXPECT_EQ(Effects(), 0);
  EXPECT_EQ(GroupPending(), 1);
  EXPECT_EQ(Consumed("error"), 1);

  // Not idle long enough yet: nothing to claim.
  absl::StatusOr<int> claimed = consumer->ClaimOnce();
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(*claimed, 0);
  ASSERT_TRUE(WaitUntil([&] {
    absl::StatusOr<int> n = consumer->ClaimOnce();
    return n.ok() && *n == 1;
  }));
  EXPECT_EQ(Effects(), 1);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(GroupPending(), 0);
  EXPECT_EQ(Metric("etnik_events_redeliveries_total", {{"stream", kStream}, {"group", kGroup}}), 1);
}

TEST_P(StreamConsumerTest, PoisonEntryGoesToDeadLetterWithoutBlockingTheOthers) {
  std::atomic<int> poison_calls{0};
  EventHandler effects = EffectsHandler("c1");
  auto consumer = MakeConsumer(FastOptions(), [&](soci::session& s, const StreamEvent& e) {
    if (e.event_id == "poison") {
      poison_calls.fetch_add(1);
      return absl::InvalidArgumentError("cannot parse the payload");
    }
    return effects(s, e);
  });
  ASSERT_TRUE(consumer->EnsureGroup().ok());
  Add("poison");
  for (const char* id : {"g1", "g2", "g3"}) Add(id);
  ASSERT_TRUE(consumer->Start().ok());

  // The good entries behind the poison one are handled at once.
  ASSERT_TRUE(WaitUntil([&] { return Effects() == 3; }));
  EXPECT_EQ(StreamLength(std::string(kStream) + ":dead"), 0);
  EXPECT_TRUE(WaitUntil([&] { return GroupPending() == 1; }));  // only the poison one
  Add("g4");
  ASSERT_TRUE(WaitUntil([&] { return Effects() == 4; }));

  // After max_deliveries (3) failed deliveries, the fourth claim dead-letters it.
  ASSERT_TRUE(WaitUntil([&] { return StreamLength(std::string(kStream) + ":dead") == 1; }));
  consumer->Stop();
  EXPECT_EQ(poison_calls.load(), 3);
  EXPECT_EQ(GroupPending(), 0);
  EXPECT_EQ(Effects(), 4);
  std::vector<StreamEntry> dead = Range(std::string(kStream) + ":dead");
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(*dead[0].Field(kFieldEventId), "poison");
  EXPECT_EQ(*dead[0].Field(kFieldPayload), PayloadFor("poison"));
  EXPECT_EQ(*dead[0].Field(kFieldDeliveries), "4");
  EXPECT_EQ(*dead[0].Field(kFieldGroup), kGroup);
  EXPECT_NE(dead[0].Field(kFieldReason)->find("cannot parse the payload"), std::string::npos)
      << *dead[0].Field(kFieldReason);
  EXPECT_EQ(Metric("etnik_events_dead_letters_total", {{"stream", kStream}, {"group", kGroup}}), 1);
  EXPECT_EQ(Consumed("error"), 3);
  EXPECT_EQ(Consumed("handled"), 4);
}

TEST_P(StreamConsumerTest, EntryWithoutEventIdIsDeadLetteredAtOnce) {
  std::atomic<int> calls{0};
  auto consumer = MakeConsumer(FastOptions(), [&](soci::session&, const StreamEvent&) {
    calls.fetch_add(1);
    return absl::OkStatus();
  });
  ASSERT_TRUE(consumer->EnsureGroup().ok());
  ASSERT_TRUE(redis_->Command("XADD", kStream, "*", "something", "else").ok());
  ASSERT_TRUE(consumer->ReadOnce().ok());
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(GroupPending(), 0);
  std::vector<StreamEntry> dead = Range(std::string(kStream) + ":dead");
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_NE(dead[0].Field(kFieldReason)->find("no event_id"), std::string::npos);
}

TEST_P(StreamConsumerTest, RejectsBadOptions) {
  StreamConsumerOptions options = FastOptions();
  options.group.clear();
  EXPECT_EQ(MakeConsumer(options, EffectsHandler("c1"))->Start().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeConsumer(FastOptions(), nullptr)->Start().code(), absl::StatusCode::kInvalidArgument);
  options = FastOptions();
  options.max_deliveries = 0;
  EXPECT_EQ(MakeConsumer(options, EffectsHandler("c1"))->Start().code(),
            absl::StatusCode::kInvalidArgument);
  // A block longer than the pool's command timeout is shortened rather than timing out.
  options = FastOptions();
  options.block = absl::Seconds(5);
  EXPECT_LT(MakeConsumer(options, EffectsHandler("c1"))->options().block,
            redis_->options().command_timeout);
}

TEST_P(StreamConsumerTest, DeletesExpiredProcessedRecordsOfItsGroup) {
  StreamConsumerOptions options = FastOptions();
  options.processed_retention = absl::Hours(24);
  auto consumer = MakeConsumer(options, EffectsHandler("c1"));
  ASSERT_TRUE(consumer->EnsureGroup().ok());
  Add("e1");
  ASSERT_TRUE(consumer->ReadOnce().ok());
  clock_.Advance(absl::Hours(25));
  Add("e2");
  ASSERT_TRUE(consumer->ReadOnce().ok());
  absl::StatusOr<int> deleted = consumer->DeleteExpired();
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 1);
  EXPECT_EQ(Count(*consumer_db_, "SELECT COUNT(*) FROM processed_events"), 1);
}

ETNIK_INSTANTIATE_OUTBOX_SUITE(StreamConsumerTest);

}  // namespace
}  // namespace etnik::outbox
