#ifndef ETNIK_COMMON_DB_RESERVATIONS_H_
#define ETNIK_COMMON_DB_RESERVATIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/db/migrations.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::db {

// One holder's claim on a resource for the half-open range [start, end). Ranges that only touch
// ([a,b) and [b,c)) do not overlap; a buffer between sessions is the caller's job (widen the
// range before reserving).
struct Reservation {
  std::string resource;  // what is booked, e.g. "expert/42", "room/7", "hub/3"
  absl::Time start;
  absl::Time end;
  std::string holder;  // who holds it, e.g. a session id; Release and Move go by holder
};

struct StoredReservation {
  int64_t id = 0;
  Reservation reservation;
};

// A table of reservations in which no two ranges of the same resource overlap, whatever the
// number of concurrent writers or service replicas:
//  - PostgreSQL: an exclusion constraint EXCLUDE USING gist (resource WITH =, during WITH &&) on a
//    tstzrange computed exactly from the stored microseconds (btree_gist extension);
//  - SQLite: check-then-insert inside the single writer transaction (BEGIN IMMEDIATE).
// The overlap check costs O(log n) on both engines: because stored ranges of one resource are
// disjoint, only the last range starting before the new start and the ranges starting inside
// the new range can overlap, and an index on (resource, start_us) finds both directly.
//
// Every operation takes the soci::session of the caller's transaction, so a service writes its
// own rows and its reservations atomically. When an operation fails, return its status from the
// unit of work so the whole transaction rolls back.
class ReservationTable {
 public:
  // `table` must pass ValidateIdentifier; operations return INVALID_ARGUMENT otherwise.
  explicit ReservationTable(std::string table) : table_(std::move(table)) {}

  const std::string& table() const { return table_; }

  // The migration creating the table, its indexes and (PostgreSQL) the exclusion constraint.
  Migration CreateMigration(int version) const;

  // Inserts `r` and returns its id, or FAILED_PRECONDITION with ErrorInfo reason
  // RESOURCE_CONFLICT and metadata resource, holder, holderStartTime, holderEndTime (RFC 3339,
  // UTC) naming one reservation it overlaps. INVALID_ARGUMENT for an empty resource or holder or
  // an empty or reversed range.
  absl::StatusOr<int64_t> Reserve(soci::session& session, const Reservation& r) const;

  // Deletes every reservation of `holder`; returns how many there were.
  absl::StatusOr<int> Release(soci::session& session, absl::string_view holder) const;

  // Reschedules: replaces all of `holder`'s reservations with `replacement` (their holder field
  // is set to `holder`). A conflict fails like Reserve; the caller's rollback restores the old
  // reservations.
  absl::Status Move(soci::session& session, absl::string_view holder,
                    const std::vector<Reservation>& replacement) const;

  // Reservations of `resource` overlapping [start, end), in start order.
  absl::StatusOr<std::vector<StoredReservation>> ListOverlapping(soci::session& session,
                                                                 absl::string_view resource,
                                                                 absl::Time start,
                                                                 absl::Time end) const;

  // Reservations of `holder`, in resource then start order.
  absl::StatusOr<std::vector<StoredReservation>> ListByHolder(soci::session& session,
                                                              absl::string_view holder) const;

 private:
  std::string table_;
};

}  // namespace etnik::db

#endif  // ETNIK_COMMON_DB_RESERVATIONS_H_
