// Contract tests of Database: transactions, retries and error mapping, on both engines.

#include "common/db/database.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/db/db_errors.h"
#include "common/db/db_test_fixture.h"
#include "common/db/time_micros.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "soci/soci.h"

namespace etnik::db {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;

class DatabaseContractTest : public DbContractTest {};
ETNIK_INSTANTIATE_DB_CONTRACT(DatabaseContractTest);

absl::StatusOr<int> CountRows(Database& db, const std::string& table) {
  int count = -1;
  absl::Status status = db.InTransaction(TxMode::kRead, [&](soci::session& session) {
    session << "SELECT COUNT(*) FROM " + table, soci::into(count);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return count;
}

std::string Reason(const absl::Status& status) {
  std::optional<ErrorInfo> info = GetErrorInfo(status);
  return info.has_value() ? info->reason : "";
}

TEST_P(DatabaseContractTest, CommitKeepsWritesAndFailedWorkRollsBack) {
  ASSERT_TRUE(Exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").ok());
  ASSERT_TRUE(db_->InTransaction(TxMode::kWrite, [](soci::session& session) {
                   std::string body = "kept";
                   session << "INSERT INTO notes (id, body) VALUES (1, :body)", soci::use(body);
                   return absl::OkStatus();
                 }).ok());
  absl::Status status = db_->InTransaction(TxMode::kWrite, [](soci::session& session) {
    std::string body = "discarded";
    session << "INSERT INTO notes (id, body) VALUES (2, :body)", soci::use(body);
    return absl::FailedPreconditionError("the domain said no");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "the domain said no");
  EXPECT_EQ(*CountRows(*db_, "notes"), 1);
  EXPECT_EQ(db_->stats().rollbacks, 1);
}

TEST_P(DatabaseContractTest, ExceptionInsideWorkRollsBackAndBecomesStatus) {
  ASSERT_TRUE(Exec("CREATE TABLE notes (id INTEGER PRIMARY KEY)").ok());
  absl::Status status = db_->InTransaction(TxMode::kWrite, [](soci::session& session) {
    session << "INSERT INTO notes (id) VALUES (1)";
    session << "SELECT no_such_column FROM notes";  // throws
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
  EXPECT_EQ(*CountRows(*db_, "notes"), 0);
  // The pooled connection is still usable afterwards.
  EXPECT_TRUE(db_->Ping().ok());
}

TEST_P(DatabaseContractTest, UniqueViolationIsAlreadyExists) {
  ASSERT_TRUE(Exec("CREATE TABLE orgs (inn TEXT PRIMARY KEY, email TEXT UNIQUE)").ok());
  auto insert = [&](std::string inn, std::string email) {
    return db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
      session << "INSERT INTO orgs (inn, email) VALUES (:inn, :email)", soci::use(inn),
          soci::use(email);
      return absl::OkStatus();
    });
  };
  ASSERT_TRUE(insert("7707083893", "a@example.org").ok());
  absl::Status same_key = insert("7707083893", "b@example.org");
  EXPECT_EQ(same_key.code(), absl::StatusCode::kAlreadyExists) << same_key;
  EXPECT_EQ(Reason(same_key), kReasonUniqueViolation);
  // Callers are told what happened, not the statement nor the values bound to it.
  EXPECT_EQ(same_key.message(), "a record with the same key already exists");
  EXPECT_THAT(std::string(same_key.ToString()), Not(AnyOf(HasSubstr("INSERT"), HasSubstr("b@example.org"))));
  absl::Status same_email = insert("500100732259", "a@example.org");
  EXPECT_EQ(same_email.code(), absl::StatusCode::kAlreadyExists) << same_email;
  EXPECT_FALSE(IsRetryable(same_email));
}

TEST_P(DatabaseContractTest, ForeignKeyAndCheckViolationsAreMapped) {
  ASSERT_TRUE(Exec("CREATE TABLE hubs (id INTEGER PRIMARY KEY);"
                   "CREATE TABLE experts (id INTEGER PRIMARY KEY,"
                   " hub_id INTEGER NOT NULL REFERENCES hubs (id),"
                   " load INTEGER NOT NULL CHECK (load >= 0))")
                  .ok());
  absl::Status missing_hub = Exec("INSERT INTO experts (id, hub_id, load) VALUES (1, 42, 0)");
  EXPECT_EQ(missing_hub.code(), absl::StatusCode::kFailedPrecondition) << missing_hub;
  EXPECT_EQ(Reason(missing_hub), kReasonForeignKeyViolation);
  ASSERT_TRUE(Exec("INSERT INTO hubs (id) VALUES (42)").ok());
  absl::Status negative = Exec("INSERT INTO experts (id, hub_id, load) VALUES (1, 42, -1)");
  EXPECT_EQ(negative.code(), absl::StatusCode::kInvalidArgument) << negative;
  EXPECT_EQ(Reason(negative), kReasonCheckViolation);
}

// The guarantee TxMode::kWrite gives: read-check-write logic is race-free on both engines (one
// writer on SQLite; SERIALIZABLE plus retries on PostgreSQL).
TEST_P(DatabaseContractTest, ReadCheckWriteIsRaceFreeUnderWrite) {
  ASSERT_TRUE(Exec("CREATE TABLE leads (hub TEXT NOT NULL, person TEXT NOT NULL)").ok());
  constexpr int kThreads = 16;
  std::atomic<int> won{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      absl::Status status = db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
        int count = 0;
        session << "SELECT COUNT(*) FROM leads WHERE hub = 'crafts'", soci::into(count);
        if (count > 0) return absl::FailedPreconditionError("crafts already has a lead");
        absl::SleepFor(absl::Milliseconds(2));  // widen the race window
        std::string person = "person-" + std::to_string(i);
        session << "INSERT INTO leads (hub, person) VALUES ('crafts', :person)", soci::use(person);
        return absl::OkStatus();
      });
      if (status.ok()) {
        ++won;
      } else if (status.code() == absl::StatusCode::kFailedPrecondition) {
        ++refused;
      } else {
        ++other;
        ADD_FAILURE() << status;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(*CountRows(*db_, "leads"), 1);
}

TEST_P(DatabaseContractTest, RetryableFailureRunsTheWorkAgain) {
  int calls = 0;
  absl::Status status = db_->InTransaction(TxMode::kWrite, [&](soci::session&) {
    ++calls;
    if (calls < 3) {
      return ErrorWithInfo(absl::StatusCode::kAborted, "conflict", kReasonTransactionConflict);
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(db_->stats().retries, 2);
}

TEST_P(DatabaseContractTest, RetriesAreBounded) {
  DatabaseOptions options = Options();
  options.retry.max_attempts = 4;
  options.retry.initial_backoff = absl::Microseconds(100);
  std::unique_ptr<Database> db = OpenReplica(options);
  int calls = 0;
  absl::Status status = db->InTransaction(TxMode::kWrite, [&](soci::session&) {
    ++calls;
    return ErrorWithInfo(absl::StatusCode::kAborted, "conflict", kReasonTransactionConflict);
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(IsRetryable(status));
  EXPECT_EQ(calls, 4);
}

TEST_P(DatabaseContractTest, OtherFailuresAreNotRetried) {
  int calls = 0;
  absl::Status status = db_->InTransaction(TxMode::kWrite, [&](soci::session&) {
    ++calls;
    return absl::AbortedError("an etag mismatch, not a database conflict");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(calls, 1);
}

TEST_P(DatabaseContractTest, NestedTransactionIsRefusedNotDeadlocked) {
  absl::Status inner;
  absl::Status outer = db_->InTransaction(TxMode::kWrite, [&](soci::session&) {
    inner = db_->InTransaction(TxMode::kWrite, [](soci::session&) { return absl::OkStatus(); });
    return absl::OkStatus();
  });
  EXPECT_TRUE(outer.ok());
  EXPECT_EQ(inner.code(), absl::StatusCode::kInternal);
}

TEST_P(DatabaseContractTest, BusyPoolGivesUnavailableAfterTheAcquireTimeout) {
  DatabaseOptions options = Options();
  options.pool_size = 1;
  options.acquire_timeout = absl::Milliseconds(50);
  std::unique_ptr<Database> db = OpenReplica(options);
  absl::Notification holding, release;
  std::thread holder([&] {
    db->InTransaction(TxMode::kRead, [&](soci::session&) {
        holding.Notify();
        release.WaitForNotification();
        return absl::OkStatus();
      }).IgnoreError();
  });
  holding.WaitForNotification();
  absl::Status status = db->InTransaction(TxMode::kRead, [](soci::session&) {
    return absl::OkStatus();
  });
  release.Notify();
  holder.join();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_EQ(Reason(status), kReasonPoolExhausted);
  EXPECT_EQ(db->stats().retries, 0) << "waiting again would double the caller's wait";
  EXPECT_TRUE(db->Ping().ok());
}

TEST_P(DatabaseContractTest, TimestampsRoundTripInMicroseconds) {
  ASSERT_TRUE(Exec("CREATE TABLE instants (id INTEGER PRIMARY KEY, at_us BIGINT NOT NULL)").ok());
  const absl::TimeZone moscow = absl::FixedTimeZone(3 * 60 * 60);
  const std::vector<absl::Time> instants = {
      // The application deadline: 12 April 2021, 23:59:59.999999 Moscow time.
      absl::FromCivil(absl::CivilSecond(2021, 4, 12, 23, 59, 59), moscow) +
          absl::Microseconds(999999),
      absl::UnixEpoch(),
      absl::UnixEpoch() - absl::Microseconds(1),                     // before 1970
      absl::FromCivil(absl::CivilSecond(2200, 1, 1, 0, 0, 0), absl::UTCTimeZone()),
  };
  ASSERT_TRUE(db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
                   for (size_t i = 0; i < instants.size(); ++i) {
                     int id = static_cast<int>(i);
                     long long at = TimeToMicros(instants[i]);
                     session << "INSERT INTO instants (id, at_us) VALUES (:id, :at)", soci::use(id),
                         soci::use(at);
                   }
                   return absl::OkStatus();
                 }).ok());
  std::vector<absl::Time> read(instants.size());
  ASSERT_TRUE(db_->InTransaction(TxMode::kRead, [&](soci::session& session) {
                   for (size_t i = 0; i < instants.size(); ++i) {
                     int id = static_cast<int>(i);
                     long long at = 0;
                     session << "SELECT at_us FROM instants WHERE id = :id", soci::use(id),
                         soci::into(at);
                     read[i] = MicrosToTime(at);
                   }
                   return absl::OkStatus();
                 }).ok());
  EXPECT_EQ(read, instants);
  // Sub-microsecond parts are floored, also before 1970.
  EXPECT_EQ(TimeToMicros(absl::UnixEpoch() + absl::Nanoseconds(1999)), 1);
  EXPECT_EQ(TimeToMicros(absl::UnixEpoch() - absl::Nanoseconds(1)), -1);
}

// Engine-specific behaviour behind the same API.

class SqliteDatabaseTest : public DbContractTest {};
INSTANTIATE_TEST_SUITE_P(Engines, SqliteDatabaseTest, ::testing::Values(Engine::kSqlite),
                         EngineTestName);

TEST_P(SqliteDatabaseTest, EveryConnectionHasTheRequiredPragmas) {
  DatabaseOptions options = Options();
  options.pool_size = 3;
  options.busy_timeout = absl::Milliseconds(1234);
  std::unique_ptr<Database> db = OpenReplica(options);
  // Hold all three connections at once so each one is checked.
  std::vector<std::thread> threads;
  absl::Mutex mu;
  int inside = 0;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      absl::Status status = db->InTransaction(TxMode::kRead, [&](soci::session& session) {
        {
          absl::MutexLock lock(&mu);
          ++inside;
          mu.Await(absl::Condition(
              +[](int* n) { return *n == 3; }, &inside));
        }
        std::string journal;
        int foreign_keys = 0, synchronous = 0, busy = 0;
        session << "PRAGMA journal_mode", soci::into(journal);
        session << "PRAGMA foreign_keys", soci::into(foreign_keys);
        session << "PRAGMA synchronous", soci::into(synchronous);
        session << "PRAGMA busy_timeout", soci::into(busy);
        EXPECT_EQ(journal, "wal");
        EXPECT_EQ(foreign_keys, 1);
        EXPECT_EQ(synchronous, 1);  // NORMAL
        EXPECT_EQ(busy, 1234);
        return absl::OkStatus();
      });
      EXPECT_TRUE(status.ok()) << status;
    });
  }
  for (std::thread& t : threads) t.join();
}

// Two processes on one file: the writer lock is then the file's, and busy errors are retried.
TEST_P(SqliteDatabaseTest, BusyFromAnotherProcessIsRetried) {
  ASSERT_TRUE(Exec("CREATE TABLE t (id INTEGER PRIMARY KEY)").ok());
  DatabaseOptions options = Options();
  options.busy_timeout = absl::Milliseconds(5);
  options.retry.max_attempts = 100;
  options.retry.initial_backoff = absl::Milliseconds(5);
  options.retry.max_backoff = absl::Milliseconds(20);
  std::unique_ptr<Database> other = OpenReplica(options);
  absl::Notification holding;
  std::thread holder([&] {
    db_->InTransaction(TxMode::kWrite, [&](soci::session& session) {
         session << "INSERT INTO t (id) VALUES (1)";
         holding.Notify();
         absl::SleepFor(absl::Milliseconds(200));
         return absl::OkStatus();
       }).IgnoreError();
  });
  holding.WaitForNotification();
  absl::Status status = other->InTransaction(TxMode::kWrite, [](soci::session& session) {
    session << "INSERT INTO t (id) VALUES (2)";
    return absl::OkStatus();
  });
  holder.join();
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_GT(other->stats().retries, 0);
  EXPECT_EQ(*CountRows(*db_, "t"), 2);
}

TEST(SqliteOpenTest, UnusablePathIsUnavailable) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open("sqlite:///proc/self/no-such-dir/x.db");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable) << db.status();
}

class PostgresDatabaseTest : public DbContractTest {};
INSTANTIATE_TEST_SUITE_P(Engines, PostgresDatabaseTest, ::testing::Values(Engine::kPostgres),
                         EngineTestName);

TEST_P(PostgresDatabaseTest, ModesUseTheDocumentedIsolationLevels) {
  auto isolation = [&](TxMode mode) {
    std::string level;
    EXPECT_TRUE(db_->InTransaction(mode, [&](soci::session& session) {
                     session << "SHOW transaction_isolation", soci::into(level);
                     return absl::OkStatus();
                   }).ok());
    return level;
  };
  EXPECT_EQ(isolation(TxMode::kRead), "repeatable read");
  EXPECT_EQ(isolation(TxMode::kWrite), "serializable");
  EXPECT_EQ(isolation(TxMode::kWriteReadCommitted), "read committed");
  // And kRead really is read-only.
  ASSERT_TRUE(Exec("CREATE TABLE t (id INTEGER)").ok());
  absl::Status write_in_read = db_->InTransaction(TxMode::kRead, [](soci::session& session) {
    session << "INSERT INTO t (id) VALUES (1)";
    return absl::OkStatus();
  });
  EXPECT_FALSE(write_in_read.ok());
}

TEST_P(PostgresDatabaseTest, LostConnectionsAreReopened) {
  ASSERT_TRUE(db_->Ping().ok());
  // Kill every backend of this database from outside, as a server restart or failover would.
  DatabaseOptions options = Options();
  options.pool_size = 1;
  std::unique_ptr<Database> killer = OpenReplica(options);
  ASSERT_TRUE(killer->InTransaction(TxMode::kWriteReadCommitted, [](soci::session& session) {
                       session << "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                  " WHERE datname = current_database() AND pid <> pg_backend_pid()";
                       return absl::OkStatus();
                     }).ok());
  absl::Status status = db_->Ping();
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_GE(db_->stats().reconnects, 1);
}

TEST(PostgresOpenTest, UnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens there.
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open("postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable) << db.status();
  EXPECT_TRUE(IsConnectionLost(db.status()));
}

}  // namespace
}  // namespace etnik::db
