// Contract tests of ReservationTable, on both engines, including the 32-writer race.

#include "common/db/reservations.h"

#include <barrier>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/db_errors.h"
#include "common/db/database_url.h"
#include "common/db/db_test_fixture.h"
#include "common/db/migrations.h"
#include "common/db/statement_cache.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "soci/postgresql/soci-postgresql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace etnik::db {
namespace {

using ::testing::ElementsAre;

// 10:00 on 12 May 2021, UTC; tests count minutes from here.
const absl::Time kDay = absl::FromUnixSeconds(1620813600);
absl::Time At(int minutes) { return kDay + absl::Minutes(minutes); }

class ReservationsContractTest : public DbContractTest {
 protected:
  void SetUp() override {
    DbContractTest::SetUp();
    if (HasFatalFailure()) return;
    std::vector<Migration> schema = {
        table_.CreateMigration(1),
        {2, "create_sessions", "CREATE TABLE sessions (id TEXT PRIMARY KEY, title TEXT NOT NULL)",
         "", ""}};
    absl::StatusOr<int> version = ApplyMigrations(*db_, schema);
    ASSERT_TRUE(version.ok()) << version.status();
  }

  absl::StatusOr<int64_t> Reserve(const std::string& resource, int from, int to,
                                  const std::string& holder) {
    absl::StatusOr<int64_t> id = absl::InternalError("not run");
    absl::Status status = db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
      id = table_.Reserve(session, {resource, At(from), At(to), holder});
      return id.status();
    });
    if (!status.ok()) return status;
    return id;
  }

  std::vector<std::pair<int, int>> Ranges(const std::string& resource, int from, int to) {
    std::vector<std::pair<int, int>> out;
    EXPECT_TRUE(db_->InTransaction(TxMode::kRead, [&](soci::session& session) {
                     auto rows = table_.ListOverlapping(session, resource, At(from), At(to));
                     if (!rows.ok()) return rows.status();
                     for (const StoredReservation& r : *rows) {
                       out.emplace_back((r.reservation.start - kDay) / absl::Minutes(1),
                                        (r.reservation.end - kDay) / absl::Minutes(1));
                     }
                     return absl::OkStatus();
                   }).ok());
    return out;
  }

  ReservationTable table_{"bookings"};
};
ETNIK_INSTANTIATE_DB_CONTRACT(ReservationsContractTest);

TEST_P(ReservationsContractTest, OverlapIsRefusedNamingTheHolder) {
  ASSERT_TRUE(Reserve("expert/7", 0, 60, "session-a").ok());
  absl::StatusOr<int64_t> second = Reserve("expert/7", 30, 90, "session-b");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  std::optional<ErrorInfo> info = GetErrorInfo(second.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason, kReasonResourceConflict);
  EXPECT_EQ(info->metadata["resource"], "expert/7");
  EXPECT_EQ(info->metadata["holder"], "session-a");
  EXPECT_EQ(info->metadata["holderStartTime"], "2021-05-12T10:00:00+00:00");
  EXPECT_EQ(info->metadata["holderEndTime"], "2021-05-12T11:00:00+00:00");
}

TEST_P(ReservationsContractTest, EveryShapeOfOverlapIsRefused) {
  ASSERT_TRUE(Reserve("room/1", 60, 120, "held").ok());
  const std::vector<std::pair<int, int>> overlapping = {
      {60, 120},  // identical
      {30, 61},   // overlaps the start
      {119, 180}, // overlaps the end
      {70, 80},   // inside
      {0, 600},   // covers
  };
  for (const auto& [from, to] : overlapping) {
    absl::StatusOr<int64_t> id = Reserve("room/1", from, to, "late");
    EXPECT_EQ(id.status().code(), absl::StatusCode::kFailedPrecondition)
        << "[" << from << ", " << to << ")";
  }
  EXPECT_THAT(Ranges("room/1", 0, 1000), ElementsAre(std::make_pair(60, 120)));
}

TEST_P(ReservationsContractTest, TouchingRangesAreAllowed) {
  ASSERT_TRUE(Reserve("hub/3", 60, 120, "middle").ok());
  EXPECT_TRUE(Reserve("hub/3", 120, 180, "after").ok());
  EXPECT_TRUE(Reserve("hub/3", 0, 60, "before").ok());
  EXPECT_THAT(Ranges("hub/3", 0, 1000),
              ElementsAre(std::make_pair(0, 60), std::make_pair(60, 120), std::make_pair(120, 180)));
}

TEST_P(ReservationsContractTest, DifferentResourcesAreIndependent) {
  ASSERT_TRUE(Reserve("expert/1", 0, 60, "s1").ok());
  EXPECT_TRUE(Reserve("expert/2", 0, 60, "s1").ok());
  EXPECT_TRUE(Reserve("room/1", 0, 60, "s1").ok());
}

// A buffer between an expert's sessions is the caller widening the range it reserves.
TEST_P(ReservationsContractTest, BufferIsTheCallerWideningTheRange) {
  const int kBuffer = 15;
  ASSERT_TRUE(Reserve("expert/5", 60 - kBuffer, 120 + kBuffer, "webinar").ok());
  // Starts right when the webinar ends: inside the buffer.
  EXPECT_FALSE(Reserve("expert/5", 120 - kBuffer, 180 + kBuffer, "too-close").ok());
  // Starts 30 minutes later: the two buffers touch, no overlap.
  EXPECT_TRUE(Reserve("expert/5", 150 - kBuffer, 210 + kBuffer, "fine").ok());
}

// Only the last range starting before the new one and the ranges starting inside it can
// overlap; this checks both are found, and that far older ones do not matter.
TEST_P(ReservationsContractTest, ListOverlappingFindsThePredecessorAndTheInsideOnes) {
  ASSERT_TRUE(Reserve("room/2", 0, 10, "old").ok());
  ASSERT_TRUE(Reserve("room/2", 20, 100, "long").ok());
  ASSERT_TRUE(Reserve("room/2", 110, 120, "inside").ok());
  ASSERT_TRUE(Reserve("room/2", 200, 210, "later").ok());
  EXPECT_THAT(Ranges("room/2", 50, 150),
              ElementsAre(std::make_pair(20, 100), std::make_pair(110, 120)));
  EXPECT_THAT(Ranges("room/2", 100, 110), ElementsAre());
  EXPECT_THAT(Ranges("room/2", 5, 21), ElementsAre(std::make_pair(0, 10), std::make_pair(20, 100)));
}

TEST_P(ReservationsContractTest, ReleaseFreesEverythingOfTheHolder) {
  ASSERT_TRUE(Reserve("expert/1", 0, 60, "s1").ok());
  ASSERT_TRUE(Reserve("room/1", 0, 60, "s1").ok());
  ASSERT_TRUE(Reserve("room/1", 60, 120, "s2").ok());
  absl::StatusOr<int> released = 0;
  ASSERT_TRUE(db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
                   released = table_.Release(session, "s1");
                   return released.status();
                 }).ok());
  EXPECT_EQ(*released, 2);
  EXPECT_TRUE(Reserve("room/1", 0, 60, "s3").ok());
  EXPECT_FALSE(Reserve("room/1", 60, 120, "s3").ok());
}

TEST_P(ReservationsContractTest, MoveReschedulesAtomically) {
  ASSERT_TRUE(Reserve("expert/1", 0, 60, "a").ok());
  ASSERT_TRUE(Reserve("room/1", 0, 60, "a").ok());
  ASSERT_TRUE(Reserve("room/1", 120, 180, "b").ok());
  auto move = [&](int from, int to) {
    return db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
      return table_.Move(session, "a",
                         {{"expert/1", At(from), At(to), ""}, {"room/1", At(from), At(to), ""}});
    });
  };
  // Into b's room slot: refused, and a keeps its old reservations.
  absl::Status refused = move(150, 210);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(Ranges("room/1", 0, 1000), ElementsAre(std::make_pair(0, 60), std::make_pair(120, 180)));
  EXPECT_THAT(Ranges("expert/1", 0, 1000), ElementsAre(std::make_pair(0, 60)));
  // Overlapping its own old slot is fine: the old one goes first.
  ASSERT_TRUE(move(30, 90).ok());
  EXPECT_THAT(Ranges("room/1", 0, 1000), ElementsAre(std::make_pair(30, 90), std::make_pair(120, 180)));
  std::vector<StoredReservation> held;
  ASSERT_TRUE(db_->InTransaction(TxMode::kRead, [&](soci::session& session) {
                   auto rows = table_.ListByHolder(session, "a");
                   if (rows.ok()) held = *rows;
                   return rows.status();
                 }).ok());
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held[0].reservation.resource, "expert/1");
  EXPECT_EQ(held[1].reservation.resource, "room/1");
  EXPECT_EQ(held[1].reservation.start, At(30));
}

// A service writes its own row and its reservations in one transaction: all or nothing.
TEST_P(ReservationsContractTest, CallerRowsAndReservationsCommitTogether) {
  auto book = [&](const std::string& id, int from, int to) {
    return db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
      std::string sid = id, title = "Webinar " + id;
      session << "INSERT INTO sessions (id, title) VALUES (:id, :title)", soci::use(sid),
          soci::use(title);
      return table_.Reserve(session, {"expert/9", At(from), At(to), id}).status();
    });
  };
  ASSERT_TRUE(book("w1", 0, 60).ok());
  EXPECT_EQ(book("w2", 30, 90).code(), absl::StatusCode::kFailedPrecondition);
  int sessions = 0;
  ASSERT_TRUE(db_->InTransaction(TxMode::kRead, [&](soci::session& session) {
                   session << "SELECT COUNT(*) FROM sessions", soci::into(sessions);
                   return absl::OkStatus();
                 }).ok());
  EXPECT_EQ(sessions, 1);
}

TEST_P(ReservationsContractTest, BadInputIsInvalidArgument) {
  EXPECT_EQ(Reserve("", 0, 60, "h").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Reserve("r", 0, 60, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Reserve("r", 60, 60, "h").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Reserve("r", 60, 0, "h").status().code(), absl::StatusCode::kInvalidArgument);
  ReservationTable bad("bookings; DROP TABLE sessions");
  absl::Status status = db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
    return bad.Reserve(session, {"r", At(0), At(1), "h"}).status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
}

// Values are bound, never spliced: hostile text is stored and compared as plain text.
TEST_P(ReservationsContractTest, HostileTextIsJustText) {
  const std::string hostile = "x'); DELETE FROM bookings; --";
  ASSERT_TRUE(Reserve(hostile, 0, 60, hostile).ok());
  ASSERT_TRUE(Reserve("room/1", 0, 60, "s").ok());
  EXPECT_FALSE(Reserve(hostile, 30, 40, "other").ok());
  EXPECT_THAT(Ranges("room/1", 0, 100), ElementsAre(std::make_pair(0, 60)));
}

// Reserve prepares its statements once per pooled connection; on a session opened by hand
// (no pool, no cache) it prepares per call and behaves the same.
TEST_P(ReservationsContractTest, WorksOnASessionOutsideThePool) {
  ASSERT_TRUE(Reserve("room/1", 0, 60, "pooled").ok());
  absl::StatusOr<DatabaseUrl> parsed = ParseDatabaseUrl(url_);
  ASSERT_TRUE(parsed.ok());
  soci::session session;
  if (GetParam() == Engine::kSqlite) {
    session.open(soci::sqlite3, "db=" + parsed->target);
  } else {
    session.open(soci::postgresql, parsed->target);
  }
  EXPECT_EQ(StatementCacheFor(session), nullptr);
  EXPECT_EQ(table_.Reserve(session, {"room/1", At(30), At(90), "by-hand"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(table_.Reserve(session, {"room/1", At(60), At(90), "by-hand"}).ok());
  EXPECT_THAT(Ranges("room/1", 0, 1000), ElementsAre(std::make_pair(0, 60), std::make_pair(60, 90)));
}

TEST_P(ReservationsContractTest, PooledConnectionsCacheTheirStatements) {
  StatementCache* seen = nullptr;
  ASSERT_TRUE(db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
                   seen = StatementCacheFor(session);
                   return table_.Reserve(session, {"room/1", At(0), At(60), "a"}).status();
                 }).ok());
  EXPECT_NE(seen, nullptr);
  // A failed attempt (conflict) and later successes keep working with the cached statements.
  EXPECT_FALSE(Reserve("room/1", 30, 90, "b").ok());
  EXPECT_TRUE(Reserve("room/1", 60, 120, "b").ok());
  EXPECT_THAT(Ranges("room/1", 0, 1000), ElementsAre(std::make_pair(0, 60), std::make_pair(60, 120)));
}

class PostgresReservationsTest : public ReservationsContractTest {};
INSTANTIATE_TEST_SUITE_P(Engines, PostgresReservationsTest, ::testing::Values(Engine::kPostgres),
                         EngineTestName);

// Cached server-side statements die with their connection; the reopened one prepares anew.
TEST_P(PostgresReservationsTest, CachedStatementsSurviveAReconnect) {
  ASSERT_TRUE(Reserve("room/1", 0, 60, "before").ok());
  DatabaseOptions options;
  options.pool_size = 1;
  std::unique_ptr<Database> killer = OpenReplica(options);
  ASSERT_TRUE(killer->InTransaction(TxMode::kWriteReadCommitted, [](soci::session& session) {
                       session << "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                  " WHERE datname = current_database() AND pid <> pg_backend_pid()";
                       return absl::OkStatus();
                     }).ok());
  absl::StatusOr<int64_t> after = Reserve("room/1", 60, 120, "after");
  EXPECT_TRUE(after.ok()) << after.status();
  EXPECT_GE(db_->stats().reconnects, 1);
  EXPECT_FALSE(Reserve("room/1", 30, 90, "late").ok());
}

// The race from the issue: 32 writers at once, repeated 100 times on one database.
class ReservationRaceTest : public ReservationsContractTest {
 protected:
  static constexpr int kWriters = 32;
  static constexpr int kRounds = 100;

  DatabaseOptions Options() const override {
    DatabaseOptions options;
    options.pool_size = kWriters;  // every writer really holds a connection at once
    return options;
  }

  struct Outcome {
    absl::Status status;
    int from = 0, to = 0;
  };

  // Runs kRounds rounds; in each, writer i asks for range(round, i) on one resource. Checks
  // after each round that exactly `expected_winners` committed, that no two stored ranges
  // overlap, and that every loser got RESOURCE_CONFLICT naming a stored winner.
  void Race(const std::function<std::pair<int, int>(int)>& range, int expected_winners) {
    std::vector<Outcome> outcomes(kWriters);
    std::barrier start(kWriters + 1), done(kWriters + 1);
    std::vector<std::thread> writers;
    for (int i = 0; i < kWriters; ++i) {
      writers.emplace_back([&, i] {
        for (int round = 0; round < kRounds; ++round) {
          start.arrive_and_wait();
          auto [from, to] = range(i);
          std::string holder = absl::StrCat("w", i);
          outcomes[i].from = from;
          outcomes[i].to = to;
          outcomes[i].status = db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
            return table_.Reserve(session, {"expert/1", At(from), At(to), holder}).status();
          });
          done.arrive_and_wait();
        }
      });
    }
    for (int round = 0; round < kRounds; ++round) {
      start.arrive_and_wait();
      done.arrive_and_wait();
      if (!HasFailure()) CheckRound(outcomes, expected_winners, round);
      EXPECT_TRUE(Exec("DELETE FROM bookings").ok());
    }
    for (std::thread& t : writers) t.join();
  }

  void CheckRound(const std::vector<Outcome>& outcomes, int expected_winners, int round) {
    std::map<std::string, std::pair<int, int>> winners;
    for (int i = 0; i < kWriters; ++i) {
      if (outcomes[i].status.ok()) winners[absl::StrCat("w", i)] = {outcomes[i].from, outcomes[i].to};
    }
    EXPECT_EQ(static_cast<int>(winners.size()), expected_winners) << "round " << round;
    std::vector<std::pair<int, int>> stored = Ranges("expert/1", -100000, 100000);
    EXPECT_EQ(stored.size(), winners.size()) << "round " << round;
    for (size_t k = 1; k < stored.size(); ++k) {
      EXPECT_LE(stored[k - 1].second, stored[k].first) << "overlap stored in round " << round;
    }
    for (int i = 0; i < kWriters; ++i) {
      const absl::Status& s = outcomes[i].status;
      if (s.ok()) continue;
      ASSERT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s << " round " << round;
      std::optional<ErrorInfo> info = GetErrorInfo(s);
      ASSERT_TRUE(info.has_value());
      EXPECT_EQ(info->reason, kReasonResourceConflict);
      auto holder = winners.find(info->metadata["holder"]);
      ASSERT_NE(holder, winners.end()) << "loser named a non-winner: " << s;
      // The named holder's range really overlaps the loser's.
      EXPECT_LT(holder->second.first, outcomes[i].to);
      EXPECT_LT(outcomes[i].from, holder->second.second);
    }
  }
};
ETNIK_INSTANTIATE_DB_CONTRACT(ReservationRaceTest);

// All 32 ranges share [131, 132): exactly one writer wins each round.
TEST_P(ReservationRaceTest, PairwiseOverlappingRangesHaveExactlyOneWinner) {
  Race([](int i) { return std::make_pair(100 + i, 132 + i * 3); }, 1);
}

// 8 back-to-back slots of 100 minutes with 4 contenders each: the contenders of a slot overlap
// one another and only touch the neighbouring slots, so exactly 8 win each round.
TEST_P(ReservationRaceTest, ContendedSlotsHaveOneWinnerEach) {
  Race(
      [](int i) {
        const int slot = i / 4, contender = i % 4;
        const int begin = slot * 100, end = begin + 100;
        switch (contender) {
          case 0: return std::make_pair(begin, end);       // the whole slot, touching both sides
          case 1: return std::make_pair(begin, begin + 60);
          case 2: return std::make_pair(begin + 40, end);
          default: return std::make_pair(begin + 10, begin + 90);
        }
      },
      8);
}

}  // namespace
}  // namespace etnik::db
