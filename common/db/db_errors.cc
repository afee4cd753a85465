#include "common/db/db_errors.h"


#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/status/errors.h"
#include "soci/postgresql/soci-postgresql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace etnik::db {
namespace {

// The driver's text names tables and, after " while executing", the statement with its bound
// values (personal data, secrets): it goes to the log without the statement, never to callers.
std::string DriverSummary(absl::string_view driver_message) {
  return std::string(driver_message.substr(0, driver_message.find(" while executing")));
}

// What a caller is told for each kind of database failure.
absl::string_view PublicMessage(absl::string_view reason) {
  if (reason == kReasonUniqueViolation) return "a record with the same key already exists";
  if (reason == kReasonForeignKeyViolation) return "the change refers to a record that does not exist";
  if (reason == kReasonExclusionViolation) return "the change conflicts with an existing record";
  if (reason == kReasonCheckViolation) return "a value is outside what the database accepts";
  if (reason == kReasonTransactionConflict) return "the change conflicted with another one; retry";
  if (reason == kReasonDatabaseUnavailable) return "the database is unavailable; retry later";
  return "the database refused the change";
}

absl::Status WithInfo(absl::StatusCode code, absl::string_view driver_message, absl::string_view reason,
                      std::map<std::string, std::string> metadata) {
  log::Warning("database error", {{"reason", std::string(reason)}, {"detail", DriverSummary(driver_message)}});
  return ErrorWithInfo(code, PublicMessage(reason), reason, std::move(metadata));
}

absl::Status Internal(absl::string_view code, absl::string_view driver_message) {
  log::Error("database error", {{"code", std::string(code)}, {"detail", DriverSummary(driver_message)}});
  return absl::InternalError(absl::StrCat("internal database error ", code));
}

}  // namespace

absl::Status PostgresErrorStatus(absl::string_view sqlstate, absl::string_view message) {
  std::map<std::string, std::string> meta = {{"engine", "postgresql"},
                                             {"sqlstate", std::string(sqlstate)}};
  const absl::string_view cls = sqlstate.substr(0, 2);
  if (sqlstate == "23505") {
    return WithInfo(absl::StatusCode::kAlreadyExists, message, kReasonUniqueViolation, meta);
  }
  if (sqlstate == "23503") {
    return WithInfo(absl::StatusCode::kFailedPrecondition, message, kReasonForeignKeyViolation, meta);
  }
  if (sqlstate == "23P01") {
    return WithInfo(absl::StatusCode::kFailedPrecondition, message, kReasonExclusionViolation, meta);
  }
  if (sqlstate == "23514" || sqlstate == "23502") {
    return WithInfo(absl::StatusCode::kInvalidArgument, message, kReasonCheckViolation, meta);
  }
  // serialization_failure, deadlock_detected, lock_not_available.
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
    return WithInfo(absl::StatusCode::kAborted, message, kReasonTransactionConflict, meta);
  }
  // connection_exception, admin/crash shutdown, cannot_connect_now, too_many_connections.
  if (cls == "08" || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" ||
      sqlstate == "53300") {
    return WithInfo(absl::StatusCode::kUnavailable, message, kReasonDatabaseUnavailable, meta);
  }
  if (sqlstate == "57014") return absl::DeadlineExceededError("the database statement timed out");
  return Internal(sqlstate, message);
}

absl::Status SqliteErrorStatus(int extended_code, absl::string_view message) {
  std::map<std::string, std::string> meta = {{"engine", "sqlite"},
                                             {"sqliteCode", absl::StrCat(extended_code)}};
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      return WithInfo(absl::StatusCode::kAlreadyExists, message, kReasonUniqueViolation, meta);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return WithInfo(absl::StatusCode::kFailedPrecondition, message, kReasonForeignKeyViolation,
                      meta);
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return WithInfo(absl::StatusCode::kInvalidArgument, message, kReasonCheckViolation, meta);
    default:
      break;
  }
  switch (extended_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return WithInfo(absl::StatusCode::kAborted, message, kReasonTransactionConflict, meta);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return WithInfo(absl::StatusCode::kUnavailable, message, kReasonDatabaseUnavailable, meta);
    case SQLITE_CONSTRAINT:
      return WithInfo(absl::StatusCode::kFailedPrecondition, message, "CONSTRAINT_VIOLATION", meta);
    default:
      return Internal(absl::StrCat(extended_code), message);
  }
}

absl::Status StatusFromException(const std::exception& e) {
  if (dynamic_cast<const NulInTextError*>(&e) != nullptr) return absl::InvalidArgumentError(e.what());
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    return PostgresErrorStatus(pg->sqlstate(), pg->what());
  }
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    return SqliteErrorStatus(lite->result(), lite->what());
  }
  if (const auto* soci_error = dynamic_cast<const soci::soci_error*>(&e)) {
    if (soci_error->get_error_category() == soci::soci_error::connection_error) {
      return WithInfo(absl::StatusCode::kUnavailable, soci_error->what(), kReasonDatabaseUnavailable, {});
    }
    return Internal("soci", soci_error->what());
  }
  return Internal("exception", e.what());
}

bool IsRetryable(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kAborted) return false;
  std::optional<ErrorInfo> info = GetErrorInfo(status);
  return info.has_value() && info->reason == kReasonTransactionConflict;
}

bool IsConnectionLost(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kUnavailable) return false;
  std::optional<ErrorInfo> info = GetErrorInfo(status);
  return info.has_value() && info->reason == kReasonDatabaseUnavailable;
}

}  // namespace etnik::db
