// The outbox and processed_events tables on both engines (no Redis involved).

#include <string>
#include <vector>

#include "common/db/db_errors.h"
#include "common/outbox/outbox.h"
#include "common/outbox/outbox_rows.h"
#include "common/outbox/outbox_test_env.h"
#include "common/outbox/processed_events.h"
#include "common/status/errors.h"
#include "gtest/gtest.h"

namespace etnik::outbox {
namespace {

class OutboxTableTest : public OutboxTestBase {
 protected:
  bool UsesRedis() const override { return false; }

  std::vector<OutboxRow> FetchAll(int limit = 1000) {
    std::vector<OutboxRow> rows;
    absl::Status status = producer_->InTransaction(db::TxMode::kRead, [&](soci::session& s) {
      absl::StatusOr<std::vector<OutboxRow>> r = FetchPending(s, limit);
      if (!r.ok()) return r.status();
      rows = *r;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return rows;
  }
};

TEST_P(OutboxTableTest, CommittedMessagesArePendingInCommitOrderWithEveryByte) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte.push_back(static_cast<char>(b));
  OutboxMessage first = Message("e1");
  first.payload = every_byte;
  ASSERT_TRUE(producer_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) {
    return Enqueue(s, first);
  }).ok());
  clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(Write("e2").ok());
  OutboxMessage empty = Message("e3");
  empty.payload.clear();
  ASSERT_TRUE(producer_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) {
    return Enqueue(s, empty);
  }).ok());

  std::vector<OutboxRow> rows = FetchAll();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].message.event_id, "e1");
  EXPECT_EQ(rows[1].message.event_id, "e2");
  EXPECT_EQ(rows[2].message.event_id, "e3");
  EXPECT_LT(rows[0].seq, rows[1].seq);
  EXPECT_LT(rows[1].seq, rows[2].seq);
  EXPECT_EQ(rows[0].message.payload, every_byte);
  EXPECT_EQ(rows[1].message.payload, PayloadFor("e2"));
  EXPECT_EQ(rows[2].message.payload, "");
  EXPECT_EQ(rows[0].message.stream, kStream);
  EXPECT_EQ(rows[0].message.type, kType);
  EXPECT_EQ(rows[0].message.created, first.created);
  EXPECT_EQ(rows[1].message.created, first.created + absl::Seconds(1));

  EXPECT_EQ(FetchAll(2).size(), 2u);
}

TEST_P(OutboxTableTest, RolledBackTransactionLeavesNoMessage) {
  absl::Status status = Write("gone", /*commit=*/false);
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(FetchAll().empty());
  EXPECT_EQ(Count(*producer_, "SELECT COUNT(*) FROM state"), 0);
}

TEST_P(OutboxTableTest, DuplicateEventIdIsRefusedAndRollsTheWriteBack) {
  ASSERT_TRUE(Write("e1").ok());
  absl::Status status = producer_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) {
    std::string id = "other-row";
    s << "INSERT INTO state (id) VALUES (:id)", soci::use(id);
    return Enqueue(s, Message("e1"));
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  std::optional<ErrorInfo> info = GetErrorInfo(status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason, db::kReasonUniqueViolation);
  EXPECT_EQ(FetchAll().size(), 1u);
  EXPECT_EQ(Count(*producer_, "SELECT COUNT(*) FROM state"), 1);
}

TEST_P(OutboxTableTest, IncompleteMessagesAreInvalid) {
  for (auto clear : {+[](OutboxMessage& m) { m.event_id.clear(); },
                     +[](OutboxMessage& m) { m.stream.clear(); },
                     +[](OutboxMessage& m) { m.type.clear(); }}) {
    OutboxMessage m = Message("e1");
    clear(m);
    absl::Status status = producer_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) {
      return Enqueue(s, m);
    });
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  }
  EXPECT_TRUE(FetchAll().empty());
}

TEST_P(OutboxTableTest, MarkCountAndDeleteExpired) {
  for (const char* id : {"e1", "e2", "e3"}) ASSERT_TRUE(Write(id).ok());
  std::vector<OutboxRow> rows = FetchAll();
  ASSERT_EQ(rows.size(), 3u);
  const absl::Time t0 = clock_.Now();
  ASSERT_TRUE(producer_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    absl::StatusOr<int> n = MarkPublished(s, {rows[0].seq, rows[2].seq}, t0);
    if (!n.ok()) return n.status();
    EXPECT_EQ(*n, 2);
    // Already published rows are not stamped again.
    n = MarkPublished(s, {rows[0].seq}, t0 + absl::Hours(1));
    if (!n.ok()) return n.status();
    EXPECT_EQ(*n, 0);
    absl::StatusOr<int64_t> pending = CountPending(s);
    if (!pending.ok()) return pending.status();
    EXPECT_EQ(*pending, 1);
    return absl::OkStatus();
  }).ok());
  rows = FetchAll();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].message.event_id, "e2");

  ASSERT_TRUE(producer_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    absl::StatusOr<int> n = DeletePublishedBefore(s, t0, 100);  // strictly before: none
    if (!n.ok()) return n.status();
    EXPECT_EQ(*n, 0);
    n = DeletePublishedBefore(s, t0 + absl::Microseconds(1), 1);  // chunked
    if (!n.ok()) return n.status();
    EXPECT_EQ(*n, 1);
    n = DeletePublishedBefore(s, t0 + absl::Microseconds(1), 100);
    if (!n.ok()) return n.status();
    EXPECT_EQ(*n, 1);
    return absl::OkStatus();
  }).ok());
  // The pending row is never deleted.
  EXPECT_EQ(Count(*producer_, "SELECT COUNT(*) FROM outbox"), 1);
}

TEST_P(OutboxTableTest, ProcessedEventsRecordEachGroupOnce) {
  const absl::Time t0 = clock_.Now();
  ASSERT_TRUE(consumer_db_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    EXPECT_EQ(MarkProcessed(s, "g1", "e1", t0).value_or(false), true);
    EXPECT_EQ(MarkProcessed(s, "g1", "e1", t0).value_or(true), false);
    EXPECT_EQ(MarkProcessed(s, "g2", "e1", t0).value_or(false), true);
    EXPECT_EQ(MarkProcessed(s, "g1", "e2", t0 + absl::Hours(2)).value_or(false), true);
    EXPECT_EQ(MarkProcessed(s, "", "e2", t0).status().code(), absl::StatusCode::kInvalidArgument);
    return absl::OkStatus();
  }).ok());
  // A rolled-back handler transaction leaves no record, so the event is handled again later.
  absl::Status rolled_back = consumer_db_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) {
    EXPECT_EQ(MarkProcessed(s, "g1", "e3", t0).value_or(false), true);
    return absl::InternalError("handler failed");
  });
  EXPECT_FALSE(rolled_back.ok());
  ASSERT_TRUE(consumer_db_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    EXPECT_EQ(MarkProcessed(s, "g1", "e3", t0).value_or(false), true);
    absl::StatusOr<int> n = DeleteProcessedBefore(s, "g1", t0 + absl::Hours(1), 100);
    if (!n.ok()) return n.status();
    EXPECT_EQ(*n, 2);  // g1/e1 and g1/e3; g1/e2 is newer, g2 is another group
    return absl::OkStatus();
  }).ok());
  EXPECT_EQ(Count(*consumer_db_, "SELECT COUNT(*) FROM processed_events"), 2);
}

ETNIK_INSTANTIATE_OUTBOX_SUITE(OutboxTableTest);

}  // namespace
}  // namespace etnik::outbox
