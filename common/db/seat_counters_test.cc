// Contract tests of SeatCounterTable, on both engines.

#include "common/db/seat_counters.h"

#include <atomic>
#include <thread>
#include <vector>

#include "common/db/db_errors.h"
#include "common/db/db_test_fixture.h"
#include "common/status/errors.h"
#include "gtest/gtest.h"

namespace etnik::db {
namespace {

class SeatCountersContractTest : public DbContractTest {
 protected:
  DatabaseOptions Options() const override {
    DatabaseOptions options;
    options.pool_size = 32;
    return options;
  }

  void SetUp() override {
    DbContractTest::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<int> version = ApplyMigrations(*db_, {seats_.CreateMigration(1)});
    ASSERT_TRUE(version.ok()) << version.status();
  }

  absl::StatusOr<int64_t> Take(const std::string& key, int64_t capacity, int64_t n = 1,
                               TxMode mode = TxMode::kWrite) {
    absl::StatusOr<int64_t> taken = absl::InternalError("not run");
    absl::Status status = db_->InTransaction(mode, [&](soci::session& session) {
      taken = seats_.TryTakeSeat(session, key, capacity, n);
      return taken.status();
    });
    if (!status.ok()) return status;
    return taken;
  }

  absl::StatusOr<int64_t> Return(const std::string& key, int64_t n = 1) {
    absl::StatusOr<int64_t> taken = absl::InternalError("not run");
    absl::Status status = db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
      taken = seats_.ReturnSeat(session, key, n);
      return taken.status();
    });
    if (!status.ok()) return status;
    return taken;
  }

  int64_t Taken(const std::string& key) {
    absl::StatusOr<int64_t> taken = 0;
    EXPECT_TRUE(db_->InTransaction(TxMode::kRead, [&](soci::session& session) {
                     taken = seats_.Taken(session, key);
                     return taken.status();
                   }).ok());
    return taken.ok() ? *taken : -1;
  }

  // 32 clients each try to take one seat of a 10-seat event at once.
  void RaceForSeats(TxMode mode) {
    constexpr int kClients = 32, kCapacity = 10;
    std::atomic<int> seated{0}, refused{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.emplace_back([&] {
        absl::StatusOr<int64_t> taken = Take("session/77", kCapacity, 1, mode);
        if (taken.ok()) {
          ++seated;
          EXPECT_LE(*taken, kCapacity);
        } else {
          EXPECT_EQ(taken.status().code(), absl::StatusCode::kFailedPrecondition) << taken.status();
          ++refused;
        }
      });
    }
    for (std::thread& t : clients) t.join();
    EXPECT_EQ(seated.load(), kCapacity);
    EXPECT_EQ(refused.load(), kClients - kCapacity);
    EXPECT_EQ(Taken("session/77"), kCapacity);
  }

  SeatCounterTable seats_{"seats"};
};
ETNIK_INSTANTIATE_DB_CONTRACT(SeatCountersContractTest);

TEST_P(SeatCountersContractTest, TakesUpToCapacityThenRefuses) {
  EXPECT_EQ(*Take("webinar/1", 3), 1);
  EXPECT_EQ(*Take("webinar/1", 3), 2);
  EXPECT_EQ(*Take("webinar/1", 3), 3);
  absl::StatusOr<int64_t> fourth = Take("webinar/1", 3);
  ASSERT_FALSE(fourth.ok());
  EXPECT_EQ(fourth.status().code(), absl::StatusCode::kFailedPrecondition);
  std::optional<ErrorInfo> info = GetErrorInfo(fourth.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason, kReasonCapacityExhausted);
  EXPECT_EQ(info->metadata["key"], "webinar/1");
  EXPECT_EQ(info->metadata["capacity"], "3");
  EXPECT_EQ(info->metadata["taken"], "3");
  EXPECT_EQ(Taken("webinar/1"), 3);
  EXPECT_EQ(Taken("webinar/other"), 0);
}

TEST_P(SeatCountersContractTest, ReturnedSeatCanBeTakenAgain) {
  ASSERT_TRUE(Take("w", 2).ok());
  ASSERT_TRUE(Take("w", 2).ok());
  EXPECT_EQ(*Return("w"), 1);
  EXPECT_EQ(*Take("w", 2), 2);
  EXPECT_FALSE(Take("w", 2).ok());
  EXPECT_EQ(Return("w", 5).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Return("never-used").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Taken("w"), 2);
}

TEST_P(SeatCountersContractTest, SeveralSeatsAtOnceAndCapacityEdges) {
  EXPECT_EQ(*Take("selection/2021", 40, 38), 38);
  EXPECT_FALSE(Take("selection/2021", 40, 3).ok());
  EXPECT_EQ(*Take("selection/2021", 40, 2), 40);
  EXPECT_FALSE(Take("zero", 0).ok());
  EXPECT_FALSE(Take("small", 2, 3).ok());
  EXPECT_EQ(Taken("small"), 0);
  // A lowered capacity refuses new seats without touching those taken.
  EXPECT_FALSE(Take("selection/2021", 30).ok());
  EXPECT_EQ(Taken("selection/2021"), 40);
  EXPECT_EQ(Take("w", 5, 0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(SeatCountersContractTest, FailedUnitOfWorkGivesTheSeatBack) {
  absl::Status status = db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
    absl::StatusOr<int64_t> taken = seats_.TryTakeSeat(session, "w", 1);
    if (!taken.ok()) return taken.status();
    return absl::FailedPreconditionError("the registration failed later");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Taken("w"), 0);
  EXPECT_TRUE(Take("w", 1).ok());
}

TEST_P(SeatCountersContractTest, RaceForSeatsUnderWrite) { RaceForSeats(TxMode::kWrite); }

TEST_P(SeatCountersContractTest, RaceForSeatsUnderWriteReadCommitted) {
  RaceForSeats(TxMode::kWriteReadCommitted);
}

}  // namespace
}  // namespace etnik::db
