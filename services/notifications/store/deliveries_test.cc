// The delivery queue on both engines: idempotent inserts, leases, backoff, dead letter, retry,
// cancellation and listing.

#include "services/notifications/store/deliveries.h"

#include <set>
#include <thread>

#include "common/db/db_test_fixture.h"
#include "common/db/migrations.h"
#include "common/status/errors.h"
#include "gtest/gtest.h"
#include "services/notifications/store/schema.h"

namespace etnik::notifications::store {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

class DeliveriesTest : public db::DbContractTest {
 protected:
  void SetUp() override {
    db::DbContractTest::SetUp();
    ASSERT_TRUE(db::ApplyMigrations(*db_, NotificationsMigrations()).ok());
  }

  bool Insert(const std::string& event, const std::string& recipient, absl::Time due,
              const std::string& session = "events/e/sessions/s", const std::string& type = "Reminder") {
    bool inserted = false;
    absl::Status st = db_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      DeliveryRow row;
      row.event_id = event;
      row.event_type = type;
      row.recipient = recipient;
      row.channel = 1;
      row.address = recipient + "@example.org";
      row.subject = "Напоминание";
      row.body = "Тело";
      row.session = session;
      row.due_time = due;
      absl::StatusOr<bool> r = InsertDelivery(s, row, kNow);
      if (!r.ok()) return r.status();
      inserted = *r;
      return absl::OkStatus();
    });
    EXPECT_TRUE(st.ok()) << st;
    return inserted;
  }
};

TEST_P(DeliveriesTest, SameEventRecipientAndChannelQueuesOnce) {
  EXPECT_TRUE(Insert("ev1", "alice", kNow));
  EXPECT_FALSE(Insert("ev1", "alice", kNow));
  EXPECT_TRUE(Insert("ev1", "bob", kNow));
  DeliveryQueue q(*db_);
  absl::StatusOr<DeliveryPage> all = q.List({}, 10, "");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->rows.size(), 2u);
}

TEST_P(DeliveriesTest, ClaimTakesOnlyDueRowsAndLeasesThem) {
  Insert("due", "alice", kNow - absl::Seconds(1));
  Insert("later", "alice", kNow + absl::Hours(1));
  DeliveryQueue q(*db_);
  absl::StatusOr<std::vector<DeliveryRow>> first = q.Claim(kNow, 10, absl::Seconds(30), "w1");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].event_id, "due");
  EXPECT_EQ((*first)[0].attempts, 1);
  // Leased: another worker gets nothing until the lease runs out (the first worker died).
  absl::StatusOr<std::vector<DeliveryRow>> second = q.Claim(kNow + absl::Seconds(10), 10, absl::Seconds(30), "w2");
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->empty());
  absl::StatusOr<std::vector<DeliveryRow>> after = q.Claim(kNow + absl::Seconds(31), 10, absl::Seconds(30), "w2");
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  // The dead worker's late MarkSent no longer owns the row; the new owner's does.
  EXPECT_FALSE(*q.MarkSent((*first)[0].id, "w1", kNow + absl::Seconds(32)));
  EXPECT_TRUE(*q.MarkSent((*first)[0].id, "w2", kNow + absl::Seconds(32)));
  absl::StatusOr<DeliveryRow> sent = q.Get((*first)[0].id);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->state, kSent);
  EXPECT_EQ(sent->send_time, kNow + absl::Seconds(32));
  EXPECT_TRUE(q.Claim(kNow + absl::Hours(2) - absl::Seconds(1), 10, absl::Seconds(30), "w3")->size() == 1);
}

TEST_P(DeliveriesTest, ConcurrentClaimersNeverShareARow) {
  for (int i = 0; i < 60; ++i) Insert("ev" + std::to_string(i), "r", kNow);
  DeliveryQueue q(*db_);
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      for (;;) {
        absl::StatusOr<std::vector<DeliveryRow>> rows = q.Claim(kNow, 5, absl::Minutes(1), "w" + std::to_string(w));
        if (!rows.ok() || rows->empty()) return;
        for (const DeliveryRow& r : *rows) got[w].push_back(r.id);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> all;
  size_t total = 0;
  for (const auto& g : got) {
    total += g.size();
    all.insert(g.begin(), g.end());
  }
  EXPECT_EQ(total, 60u);
  EXPECT_EQ(all.size(), 60u);
}

TEST_P(DeliveriesTest, FailuresBackOffThenDeadLetterAndRetryRequeues) {
  Insert("ev", "alice", kNow);
  DeliveryQueue q(*db_);
  RetryPolicy policy;
  policy.max_attempts = 3;
  policy.initial_backoff = absl::Seconds(10);
  policy.jitter = 0;
  absl::Time now = kNow;
  std::string id;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    absl::StatusOr<std::vector<DeliveryRow>> rows = q.Claim(now, 10, absl::Seconds(5), "w");
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1u) << attempt;
    id = (*rows)[0].id;
    absl::StatusOr<int> state = q.MarkFailed(id, "w", now, "smtp down", false, policy, 0.5);
    ASSERT_TRUE(state.ok());
    EXPECT_EQ(*state, attempt < 3 ? kFailed : kDeadLetter);
    absl::StatusOr<DeliveryRow> row = q.Get(id);
    if (attempt < 3) {
      // 10 s, then 20 s: exponential.
      EXPECT_EQ(row->next_attempt_time - now, absl::Seconds(10) * (1 << (attempt - 1)));
      EXPECT_TRUE(q.Claim(row->next_attempt_time - absl::Seconds(1), 10, absl::Seconds(5), "w")->empty());
      now = row->next_attempt_time;
    }
  }
  EXPECT_TRUE(q.Claim(now + absl::Hours(10), 10, absl::Seconds(5), "w")->empty());
  absl::StatusOr<DeliveryRow> retried = q.Retry(id, now);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->state, kPending);
  EXPECT_EQ(retried->attempts, 0);
  EXPECT_EQ(q.Claim(now, 10, absl::Seconds(5), "w")->size(), 1u);
  EXPECT_EQ(q.Retry(id, now).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(q.Get("missing").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(DeliveriesTest, PermanentFailureDeadLettersAtOnce) {
  Insert("ev", "alice", kNow);
  DeliveryQueue q(*db_);
  absl::StatusOr<std::vector<DeliveryRow>> rows = q.Claim(kNow, 10, absl::Seconds(5), "w");
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(*q.MarkFailed((*rows)[0].id, "w", kNow, "550 no such user", true, {}, 0.5), kDeadLetter);
  EXPECT_EQ(q.Get((*rows)[0].id)->last_error, "550 no such user");
}

TEST_P(DeliveriesTest, CancelPendingTouchesOnlyThatSessionAndType) {
  Insert("a", "alice", kNow + absl::Hours(1), "events/e/sessions/s1");
  Insert("b", "bob", kNow + absl::Hours(1), "events/e/sessions/s1");
  Insert("c", "alice", kNow + absl::Hours(1), "events/e/sessions/s2");
  Insert("d", "alice", kNow, "events/e/sessions/s1", "Other");
  int cancelled = 0;
  ASSERT_TRUE(db_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
                   absl::StatusOr<int> n = CancelPending(s, "events/e/sessions/s1", "Reminder", "alice", kNow);
                   if (!n.ok()) return n.status();
                   cancelled = *n;
                   return absl::OkStatus();
                 }).ok());
  EXPECT_EQ(cancelled, 1);
  DeliveryQueue q(*db_);
  DeliveryFilter f;
  f.state = kCancelled;
  EXPECT_EQ(q.List(f, 10, "")->rows.size(), 1u);
  EXPECT_EQ(*q.DueCount(kNow + absl::Hours(2)), 3);
}

TEST_P(DeliveriesTest, ListFiltersAndPages) {
  for (int i = 0; i < 7; ++i) Insert("ev" + std::to_string(i), i % 2 ? "alice" : "bob", kNow);
  DeliveryQueue q(*db_);
  DeliveryFilter f;
  f.recipient = "bob";
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    absl::StatusOr<DeliveryPage> page = q.List(f, 2, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const DeliveryRow& r : page->rows) {
      EXPECT_EQ(r.recipient, "bob");
      seen.insert(r.id);
    }
    token = page->next_page_token;
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(pages, 2);
  f.recipient = "alice@example.org";
  EXPECT_EQ(q.List(f, 10, "")->rows.size(), 3u);
  f.start_time = kNow + absl::Seconds(1);
  EXPECT_TRUE(q.List(f, 10, "")->rows.empty());
  EXPECT_EQ(q.List({}, 10, "garbage").status().code(), absl::StatusCode::kInvalidArgument);
}

ETNIK_INSTANTIATE_DB_CONTRACT(DeliveriesTest);

}  // namespace
}  // namespace etnik::notifications::store
