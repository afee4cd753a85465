#include "common/db/database.h"

#include <libpq-fe.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/db/database_url.h"
#include "common/db/db_errors.h"
#include "common/status/errors.h"
#include "soci/connection-pool.h"
#include "soci/postgresql/soci-postgresql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace etnik::db {
namespace {

// The Database whose unit of work this thread is running, to refuse nesting.
thread_local const Database* tls_active_database = nullptr;

// Returns a slot to the pool on every path.
class Lease {
 public:
  Lease(soci::connection_pool& pool, size_t slot) : pool_(pool), slot_(slot) {}
  ~Lease() { pool_.give_back(slot_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

 private:
  soci::connection_pool& pool_;
  size_t slot_;
};

const char* BeginStatement(Engine engine, TxMode mode) {
  if (engine == Engine::kSqlite) return mode == TxMode::kRead ? "BEGIN" : "BEGIN IMMEDIATE";
  switch (mode) {
    case TxMode::kRead:
      return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    case TxMode::kWrite:
      return "BEGIN ISOLATION LEVEL SERIALIZABLE";
    case TxMode::kWriteReadCommitted:
      return "BEGIN ISOLATION LEVEL READ COMMITTED";
  }
  return "BEGIN";
}

absl::Status ConfigureSqlite(soci::session& session, absl::Duration busy_timeout) {
  sqlite_api::sqlite3* conn =
      static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
  // Extended codes tell a unique violation from a foreign key one, busy from busy-snapshot.
  sqlite_api::sqlite3_extended_result_codes(conn, 1);
  sqlite_api::sqlite3_busy_timeout(conn, static_cast<int>(absl::ToInt64Milliseconds(busy_timeout)));
  return ExecScript(session, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
}

bool PostgresConnectionBad(soci::session& session) {
  auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
  return backend == nullptr || PQstatus(backend->conn_) != CONNECTION_OK;
}

bool PostgresTransactionFailed(soci::session& session) {
  auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
  return PQtransactionStatus(backend->conn_) == PQTRANS_INERROR;
}

absl::Duration Backoff(const RetryPolicy& policy, int attempt) {
  thread_local absl::BitGen gen;
  absl::Duration cap = policy.initial_backoff;
  for (int i = 1; i < attempt && cap < policy.max_backoff; ++i) cap *= 2;
  cap = std::min(cap, policy.max_backoff);
  // Equal jitter: at least half the cap, so contenders spread out but still back off.
  return cap / 2 + absl::Uniform(gen, 0.0, 0.5) * cap;
}

}  // namespace

Database::Database(Engine engine, std::string target, DatabaseOptions options)
    : engine_(engine),
      target_(std::move(target)),
      options_(options),
      clock_(options.clock != nullptr ? options.clock : &SystemClock::Get()),
      pool_(std::make_unique<soci::connection_pool>(static_cast<size_t>(options.pool_size))),
      opened_(static_cast<size_t>(options.pool_size), 0) {
  for (int i = 0; i < options.pool_size; ++i) caches_.push_back(std::make_unique<StatementCache>());
}

Database::~Database() = default;

absl::StatusOr<std::unique_ptr<Database>> Database::Open(absl::string_view url,
                                                         DatabaseOptions options) {
  absl::StatusOr<DatabaseUrl> parsed = ParseDatabaseUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (options.pool_size < 1) return absl::InvalidArgumentError("pool_size must be at least 1");
  if (options.retry.max_attempts < 1) {
    return absl::InvalidArgumentError("retry.max_attempts must be at least 1");
  }
  if (parsed->engine == Engine::kSqlite) {
    std::filesystem::path parent = std::filesystem::path(parsed->target).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return ErrorWithInfo(absl::StatusCode::kUnavailable,
                           absl::StrCat("cannot create directory ", parent.string(), ": ",
                                        ec.message()),
                           kReasonDatabaseUnavailable);
    }
  }
  std::unique_ptr<Database> db(new Database(parsed->engine, parsed->target, options));
  // Open one connection now so a wrong address fails at start-up, not on the first request.
  absl::Status status = db->Connect(0);
  if (!status.ok()) return status;
  if (db->engine_ == Engine::kSqlite) {
    // WAL is a property of the file: set once, every later connection inherits it.
    status = ExecScript(db->pool_->at(0), "PRAGMA journal_mode = WAL;");
    if (!status.ok()) return status;
  }
  return db;
}

absl::Status Database::Connect(size_t slot) {
  soci::session& session = pool_->at(slot);
  // Statements belong to the old connection: finalize them before it closes.
  caches_[slot]->Clear();
  absl::Status status = CatchDbErrors([&]() -> absl::Status {
    if (session.get_backend() != nullptr) session.close();
    if (engine_ == Engine::kSqlite) {
      session.open(soci::sqlite3, "db=" + target_);
      return ConfigureSqlite(session, options_.busy_timeout);
    }
    session.open(soci::postgresql, target_);
    // libpq prints NOTICEs (e.g. "already exists, skipping") to stderr by default; errors
    // reach us as statuses, notices are noise in service logs.
    PQsetNoticeProcessor(
        static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_,
        [](void*, const char*) {}, nullptr);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    // A failed open is always "cannot reach the database", whatever the driver said.
    if (status.code() != absl::StatusCode::kUnavailable) {
      status = ErrorWithInfo(absl::StatusCode::kUnavailable,
                             absl::StrCat("cannot open ", EngineName(engine_),
                                          " database: ", status.message()),
                             kReasonDatabaseUnavailable);
    }
    return status;
  }
  opened_[slot] = 1;
  return absl::OkStatus();
}

absl::Status Database::EnsureConnected(size_t slot) {
  if (!opened_[slot]) return Connect(slot);
  if (engine_ == Engine::kPostgres && PostgresConnectionBad(pool_->at(slot))) {
    reconnects_.fetch_add(1, std::memory_order_relaxed);
    return Connect(slot);
  }
  return absl::OkStatus();
}

Database::AttemptResult Database::Attempt(TxMode mode, const TxWork& work) {
  size_t slot = 0;
  int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(options_.acquire_timeout));
  if (!pool_->try_lease(slot, std::max(timeout_ms, 1))) {
    return {ErrorWithInfo(absl::StatusCode::kUnavailable,
                          absl::StrCat("no free database connection within ",
                                       absl::FormatDuration(options_.acquire_timeout)),
                          kReasonPoolExhausted),
            Phase::kBegin};
  }
  Lease lease(*pool_, slot);
  absl::Status status = EnsureConnected(slot);
  if (!status.ok()) return {status, Phase::kBegin};
  soci::session& session = pool_->at(slot);

  std::optional<absl::MutexLock> writer_lock;
  if (engine_ == Engine::kSqlite && mode != TxMode::kRead) writer_lock.emplace(&sqlite_writer_mu_);

  status = ExecScript(session, BeginStatement(engine_, mode));
  if (!status.ok()) return {status, Phase::kBegin};

  {
    // Lets helpers find this connection's statement cache while the work runs.
    internal::ActiveConnection& current = internal::CurrentConnection();
    const internal::ActiveConnection outer = current;  // a unit of work on another Database
    current = {&session, caches_[slot].get()};
    status = CatchDbErrors([&] { return work(session); });
    current = outer;
  }
  if (!status.ok()) {
    rollbacks_.fetch_add(1, std::memory_order_relaxed);
    // Best effort: a dead connection has rolled back on the server already.
    ExecScript(session, "ROLLBACK").IgnoreError();
    return {status, Phase::kWork};
  }
  if (engine_ == Engine::kPostgres && PostgresTransactionFailed(session)) {
    // COMMIT would quietly roll back: a statement failed and the work swallowed the error.
    rollbacks_.fetch_add(1, std::memory_order_relaxed);
    ExecScript(session, "ROLLBACK").IgnoreError();
    return {absl::InternalError("a statement failed inside the unit of work, which still returned OK"),
            Phase::kWork};
  }
  status = ExecScript(session, "COMMIT");
  if (!status.ok()) {
    // SQLite keeps the transaction open after a failed COMMIT; PostgreSQL has ended it.
    rollbacks_.fetch_add(1, std::memory_order_relaxed);
    ExecScript(session, "ROLLBACK").IgnoreError();
    return {status, Phase::kCommit};
  }
  commits_.fetch_add(1, std::memory_order_relaxed);
  return {absl::OkStatus(), Phase::kCommit};
}

absl::Status Database::InTransaction(TxMode mode, const TxWork& work) {
  if (tls_active_database == this) {
    return absl::InternalError(
        "InTransaction called inside another unit of work on the same database");
  }
  const Database* outer = tls_active_database;
  tls_active_database = this;
  absl::Status status;
  for (int attempt = 1;; ++attempt) {
    AttemptResult result = Attempt(mode, work);
    status = std::move(result.status);
    if (status.ok() || attempt >= options_.retry.max_attempts) break;
    // A lost connection is safe to retry only if COMMIT was never sent.
    bool retry = IsRetryable(status) || (IsConnectionLost(status) && result.phase != Phase::kCommit);
    if (!retry) break;
    retries_.fetch_add(1, std::memory_order_relaxed);
    absl::SleepFor(Backoff(options_.retry, attempt));
  }
  tls_active_database = outer;
  return status;
}

absl::Status Database::Ping() {
  return InTransaction(TxMode::kRead, [](soci::session& session) {
    int one = 0;
    session << "SELECT 1", soci::into(one);
    return one == 1 ? absl::OkStatus() : absl::InternalError("SELECT 1 returned something else");
  });
}

DatabaseStats Database::stats() const {
  DatabaseStats out;
  out.commits = commits_.load(std::memory_order_relaxed);
  out.rollbacks = rollbacks_.load(std::memory_order_relaxed);
  out.retries = retries_.load(std::memory_order_relaxed);
  out.reconnects = reconnects_.load(std::memory_order_relaxed);
  return out;
}

}  // namespace etnik::db
