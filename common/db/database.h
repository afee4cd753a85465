#ifndef ETNIK_COMMON_DB_DATABASE_H_
#define ETNIK_COMMON_DB_DATABASE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/db/engine.h"
#include "common/db/statement_cache.h"

namespace soci {
class connection_pool;
class session;
}  // namespace soci

namespace etnik::db {

// How a unit of work runs. The isolation choice makes both engines give the same guarantee:
// any read-check-write logic inside a kWrite unit is race-free, on SQLite because there is one
// writer at a time, on PostgreSQL because SERIALIZABLE aborts whichever transaction would break
// serial order (the retry helper then runs it again on fresh data).
enum class TxMode {
  // Read only, one consistent snapshot. SQLite: BEGIN (a WAL snapshot, never blocks writers).
  // PostgreSQL: REPEATABLE READ READ ONLY.
  kRead,
  // SQLite: BEGIN IMMEDIATE (takes the single writer lock up front, so no deadlocks or upgrade
  // failures). PostgreSQL: SERIALIZABLE.
  kWrite,
  // SQLite: BEGIN IMMEDIATE. PostgreSQL: READ COMMITTED. Only for units whose every invariant is
  // held by a constraint or a conditional UPDATE (e.g. a hot seat counter), where SERIALIZABLE
  // would only add retries. Migrations use it so a statement sees what a lock holder committed.
  kWriteReadCommitted,
};

// Bounded retries of a whole unit of work after a retryable failure (see IsRetryable): serialization
// failures and deadlocks (40001, 40P01, 55P03), SQLite busy/locked, and a connection found dead
// before commit (it is reopened first).
struct RetryPolicy {
  int max_attempts = 12;
  absl::Duration initial_backoff = absl::Milliseconds(1);
  absl::Duration max_backoff = absl::Milliseconds(100);
};

struct DatabaseOptions {
  // Pooled connections. PostgreSQL: concurrent transactions. SQLite: concurrent readers (writers
  // still go one at a time).
  int pool_size = 8;
  // SQLite: how long a statement waits for another process's lock before failing busy.
  absl::Duration busy_timeout = absl::Seconds(5);
  // How long InTransaction waits for a free pooled connection before UNAVAILABLE.
  absl::Duration acquire_timeout = absl::Seconds(10);
  RetryPolicy retry;
  // Time source for migration records; SystemClock when null. Not owned.
  const Clock* clock = nullptr;
};

// Counters for metrics and tests.
struct DatabaseStats {
  int64_t commits = 0;
  int64_t rollbacks = 0;
  int64_t retries = 0;     // extra attempts made by the retry helper
  int64_t reconnects = 0;  // pooled connections reopened after a loss
};

// A unit of work inside a transaction. It may run more than once (retries), so it must reset any
// state it captures. Return a non-OK status to roll back. It may throw SOCI exceptions; they are
// caught and mapped (db_errors.h).
using TxWork = std::function<absl::Status(soci::session&)>;

// The system of record: a pool of connections to one SQLite file or one PostgreSQL database.
// Thread-safe. All SQL must bind values with soci::use, never splice them into the text.
class Database {
 public:
  // Opens `url` (see database_url.h). SQLite: creates the file (and its directory) if missing and
  // sets WAL mode, busy_timeout, foreign_keys=ON and synchronous=NORMAL on every connection.
  // Fails with UNAVAILABLE when the engine cannot be reached, INVALID_ARGUMENT on a bad URL.
  static absl::StatusOr<std::unique_ptr<Database>> Open(absl::string_view url,
                                                        DatabaseOptions options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Engine engine() const { return engine_; }
  const Clock& clock() const { return *clock_; }

  // Runs `work` in a transaction of the given mode on a pooled connection: commits when it
  // returns OK, rolls back otherwise, retries per the policy. Returns the work's status, or the
  // mapped database failure (after retries, ABORTED with reason TRANSACTION_CONFLICT). A lost
  // connection during COMMIT is returned as UNAVAILABLE and not retried: the outcome is unknown.
  // Must not be nested on the same thread (returns INTERNAL rather than deadlock).
  absl::Status InTransaction(TxMode mode, const TxWork& work);

  // A trivial read, for health checks.
  absl::Status Ping();

  DatabaseStats stats() const;

 private:
  enum class Phase { kBegin, kWork, kCommit };
  struct AttemptResult {
    absl::Status status;
    Phase phase = Phase::kBegin;
  };

  Database(Engine engine, std::string target, DatabaseOptions options);
  absl::Status Connect(size_t slot);
  absl::Status EnsureConnected(size_t slot);
  AttemptResult Attempt(TxMode mode, const TxWork& work);

  const Engine engine_;
  const std::string target_;
  const DatabaseOptions options_;
  const Clock* clock_;
  std::unique_ptr<soci::connection_pool> pool_;
  // Per slot: its prepared statements. Declared after pool_ so they go before the connections.
  std::vector<std::unique_ptr<StatementCache>> caches_;
  // Per slot: opened at least once. Touched only by the thread leasing that slot.
  std::vector<char> opened_;
  // SQLite allows one writer; taking it here avoids spinning on SQLITE_BUSY inside the process.
  absl::Mutex sqlite_writer_mu_;
  std::atomic<int64_t> commits_{0}, rollbacks_{0}, retries_{0}, reconnects_{0};
};

}  // namespace etnik::db

#endif  // ETNIK_COMMON_DB_DATABASE_H_
