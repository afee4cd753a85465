#ifndef ETNIK_COMMON_DB_DB_ERRORS_H_
#define ETNIK_COMMON_DB_DB_ERRORS_H_

// Database failures as absl::Status. SOCI throws; nothing thrown may leave this library, so every
// entry point catches at its boundary and maps the engine's error code (PostgreSQL SQLSTATE or
// SQLite extended result code) to a status code plus an ErrorInfo reason.

#include <exception>
#include <stdexcept>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace etnik::db {

// ErrorInfo reasons set by this library.
// ABORTED, retryable: serialization failure, deadlock, lock not available, SQLite busy/locked.
inline constexpr char kReasonTransactionConflict[] = "TRANSACTION_CONFLICT";
// UNAVAILABLE: the connection is lost or the engine cannot be reached / opened.
inline constexpr char kReasonDatabaseUnavailable[] = "DATABASE_UNAVAILABLE";
// UNAVAILABLE: every pooled connection stayed busy for the acquire timeout (not retried: the
// caller already waited that long).
inline constexpr char kReasonPoolExhausted[] = "DATABASE_POOL_EXHAUSTED";
// ALREADY_EXISTS: a unique or primary key constraint refused a duplicate.
inline constexpr char kReasonUniqueViolation[] = "UNIQUE_VIOLATION";
// FAILED_PRECONDITION: a referenced row is missing (or still referenced).
inline constexpr char kReasonForeignKeyViolation[] = "FOREIGN_KEY_VIOLATION";
// FAILED_PRECONDITION: an exclusion constraint refused an overlapping row.
inline constexpr char kReasonExclusionViolation[] = "EXCLUSION_VIOLATION";
// INVALID_ARGUMENT: a CHECK or NOT NULL constraint refused a value.
inline constexpr char kReasonCheckViolation[] = "CHECK_VIOLATION";
// FAILED_PRECONDITION from reservations.h: the range overlaps another holder's reservation.
inline constexpr char kReasonResourceConflict[] = "RESOURCE_CONFLICT";
// FAILED_PRECONDITION from seat_counters.h: no seat is left.
inline constexpr char kReasonCapacityExhausted[] = "CAPACITY_EXHAUSTED";

// Thrown by the statement builders for a text value holding a NUL character: PostgreSQL cannot
// store one and its client library would silently cut the value there, so both engines refuse
// it alike (INVALID_ARGUMENT) instead of storing a shorter text than was sent.
class NulInTextError : public std::invalid_argument {
 public:
  NulInTextError() : std::invalid_argument("text values must not contain NUL characters (U+0000)") {}
};

inline void CheckNoNul(absl::string_view value) {
  if (value.find('\0') != absl::string_view::npos) throw NulInTextError();
}

// Maps a PostgreSQL error (SQLSTATE, five characters) to a status.
absl::Status PostgresErrorStatus(absl::string_view sqlstate, absl::string_view message);

// Maps a SQLite error (extended result code) to a status.
absl::Status SqliteErrorStatus(int extended_code, absl::string_view message);

// Maps any exception thrown by SOCI (or the standard library underneath it) to a status.
absl::Status StatusFromException(const std::exception& e);

// True for failures that a fresh attempt of the whole transaction may cure.
bool IsRetryable(const absl::Status& status);

// True when the connection itself is gone (the pool reconnects it before reuse).
bool IsConnectionLost(const absl::Status& status);

// Runs `f` (returning absl::Status or absl::StatusOr<T>) and turns any exception into a status.
template <typename F>
auto CatchDbErrors(F&& f) noexcept -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return StatusFromException(e);
  } catch (...) {
    return absl::InternalError("unknown exception from the database layer");
  }
}

}  // namespace etnik::db

#endif  // ETNIK_COMMON_DB_DB_ERRORS_H_
