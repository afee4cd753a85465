#ifndef ETNIK_COMMON_DB_SEAT_COUNTERS_H_
#define ETNIK_COMMON_DB_SEAT_COUNTERS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/db/migrations.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::db {

// Counters of taken seats that never pass a capacity, under any number of concurrent writers or
// replicas: a seat is taken by one conditional upsert (... DO UPDATE ... WHERE taken + n <=
// capacity) whose row lock (PostgreSQL) or single writer (SQLite) decides, and the caller learns
// from the returned row whether it got the seat. The capacity is passed by the caller (it lives
// with the event, the hub or the selection round), so it can change without touching counters.
//
// Operations take the soci::session of the caller's transaction. Under TxMode::kWrite a hot
// counter on PostgreSQL costs serialization retries; TxMode::kWriteReadCommitted is enough when
// the counter is the only invariant of the unit.
class SeatCounterTable {
 public:
  // `table` must pass ValidateIdentifier; operations return INVALID_ARGUMENT otherwise.
  explicit SeatCounterTable(std::string table) : table_(std::move(table)) {}

  const std::string& table() const { return table_; }

  Migration CreateMigration(int version) const;

  // Takes `seats` seats of `key` if that keeps it within `capacity`; returns the seats taken
  // afterwards. FAILED_PRECONDITION with ErrorInfo reason CAPACITY_EXHAUSTED (metadata key,
  // capacity, taken) otherwise.
  absl::StatusOr<int64_t> TryTakeSeat(soci::session& session, absl::string_view key,
                                      int64_t capacity, int64_t seats = 1) const;

  // Gives seats back; returns the seats taken afterwards. FAILED_PRECONDITION if fewer are taken.
  absl::StatusOr<int64_t> ReturnSeat(soci::session& session, absl::string_view key,
                                     int64_t seats = 1) const;

  // Seats taken now (0 for a key never used).
  absl::StatusOr<int64_t> Taken(soci::session& session, absl::string_view key) const;

 private:
  std::string table_;
};

}  // namespace etnik::db

#endif  // ETNIK_COMMON_DB_SEAT_COUNTERS_H_
