#include "common/db/reservations.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "common/db/db_errors.h"
#include "common/db/engine.h"
#include "common/db/statement_cache.h"
#include "common/db/time_micros.h"
#include "common/status/errors.h"
#include "soci/soci.h"

namespace etnik::db {
namespace {

// Rows of `resource` overlapping [:start, :end). Stored ranges of a resource are disjoint, so
// ordered by start they are also ordered by end: the only candidates are the last range starting
// before :start and the ranges starting inside [:start, :end). The sub-select finds the former,
// the outer range scan begins there; both are index seeks on (resource, start_us).
constexpr char kOverlapSql[] =
    "SELECT id, holder, start_us, end_us FROM $0"
    " WHERE resource = :resource AND start_us < :end AND end_us > :start"
    " AND start_us >= COALESCE((SELECT p.start_us FROM $0 p"
    " WHERE p.resource = :resource2 AND p.start_us < :start2"
    " ORDER BY p.start_us DESC LIMIT 1), :start3)"
    " ORDER BY start_us";

constexpr char kSqliteSchema[] = R"sql(
CREATE TABLE $0 (
  id INTEGER PRIMARY KEY,
  resource TEXT NOT NULL,
  holder TEXT NOT NULL,
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  CONSTRAINT $0_valid_range CHECK (start_us < end_us)
);
CREATE INDEX $0_by_resource_start ON $0 (resource, start_us);
CREATE INDEX $0_by_holder ON $0 (holder);
)sql";

// The range column is generated from the microseconds, so both engines store the same values and
// share every query; the conversion is exact for instants within about 285 years of 1970.
constexpr char kPostgresSchema[] = R"sql(
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE OR REPLACE FUNCTION etnik_micros_to_timestamptz(micros BIGINT) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN timestamptz '1970-01-01 00:00:00+00' + micros * interval '1 microsecond';
CREATE TABLE $0 (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  resource TEXT NOT NULL,
  holder TEXT NOT NULL,
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  during tstzrange GENERATED ALWAYS AS (tstzrange(etnik_micros_to_timestamptz(start_us),
                                                  etnik_micros_to_timestamptz(end_us), '[)')) STORED,
  CONSTRAINT $0_valid_range CHECK (start_us < end_us),
  CONSTRAINT $0_no_overlap EXCLUDE USING gist (resource WITH =, during WITH &&)
);
CREATE INDEX $0_by_resource_start ON $0 (resource, start_us);
CREATE INDEX $0_by_holder ON $0 (holder);
)sql";

std::string Rfc3339(int64_t micros) {
  return absl::FormatTime(absl::RFC3339_full, MicrosToTime(micros), absl::UTCTimeZone());
}

absl::Status ValidateReservation(const Reservation& r) {
  if (r.resource.empty()) return absl::InvalidArgumentError("reservation has no resource");
  if (r.holder.empty()) return absl::InvalidArgumentError("reservation has no holder");
  if (!(r.start < r.end) || TimeToMicros(r.start) >= TimeToMicros(r.end)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reservation of ", r.resource, " has an empty or reversed range [",
        absl::FormatTime(r.start), ", ", absl::FormatTime(r.end), ")"));
  }
  return absl::OkStatus();
}

// Runs the overlap query; at most `limit` rows (0: all).
std::vector<StoredReservation> QueryOverlapping(soci::session& session, const std::string& table,
                                                const std::string& resource, long long start,
                                                long long end, int limit) {
  std::string sql = absl::Substitute(kOverlapSql, table);
  if (limit > 0) absl::StrAppend(&sql, " LIMIT ", limit);
  long long id = 0, row_start = 0, row_end = 0;
  std::string holder;
  std::string resource2 = resource;
  long long start2 = start, start3 = start;
  std::string resource1 = resource;
  soci::statement st = (session.prepare << sql, soci::into(id), soci::into(holder),
                        soci::into(row_start), soci::into(row_end), soci::use(resource1),
                        soci::use(end), soci::use(start), soci::use(resource2),
                        soci::use(start2), soci::use(start3));
  st.execute();
  std::vector<StoredReservation> out;
  while (st.fetch()) {
    out.push_back({id, {resource, MicrosToTime(row_start), MicrosToTime(row_end), holder}});
  }
  return out;
}

absl::Status ConflictError(const std::string& resource, const std::optional<StoredReservation>& with) {
  std::map<std::string, std::string> meta = {{"resource", resource}};
  std::string message = absl::StrCat(resource, " is already reserved");
  if (with.has_value()) {
    const Reservation& r = with->reservation;
    meta["holder"] = r.holder;
    meta["holderStartTime"] = Rfc3339(TimeToMicros(r.start));
    meta["holderEndTime"] = Rfc3339(TimeToMicros(r.end));
    absl::StrAppend(&message, " by ", r.holder, " from ", meta["holderStartTime"], " to ",
                    meta["holderEndTime"]);
  }
  return ErrorWithInfo(absl::StatusCode::kFailedPrecondition, message, kReasonResourceConflict,
                       std::move(meta));
}

// The overlap check of Reserve (first hit only), prepared once per connection.
struct OverlapCheck : StatementCache::Entry {
  OverlapCheck(soci::session& session, const std::string& table)
      : st((session.prepare << absl::StrCat(absl::Substitute(kOverlapSql, table), " LIMIT 1"),
            soci::into(id), soci::into(holder), soci::into(row_start), soci::into(row_end),
            soci::use(resource), soci::use(end), soci::use(start), soci::use(resource2),
            soci::use(start2), soci::use(start3))) {}
  std::string resource, resource2, holder;
  long long start = 0, end = 0, start2 = 0, start3 = 0, id = 0, row_start = 0, row_end = 0;
  soci::statement st;
};

// INSERT ... RETURNING id; on PostgreSQL with DO NOTHING on the exclusion constraint.
struct InsertReservation : StatementCache::Entry {
  InsertReservation(soci::session& session, const std::string& table, bool sqlite)
      : st((session.prepare << absl::Substitute(
                sqlite ? "INSERT INTO $0 (resource, holder, start_us, end_us)"
                         " VALUES (:resource, :holder, :start, :end) RETURNING id"
                       : "INSERT INTO $0 (resource, holder, start_us, end_us)"
                         " VALUES (:resource, :holder, :start, :end)"
                         " ON CONFLICT ON CONSTRAINT $0_no_overlap DO NOTHING RETURNING id",
                table),
            soci::use(resource), soci::use(holder), soci::use(start),
            soci::use(end), soci::into(id))) {}
  std::string resource, holder;
  long long start = 0, end = 0, id = 0;
  soci::statement st;
};

// Finds one reservation of `resource` overlapping [start, end), if any.
std::optional<StoredReservation> FirstOverlap(soci::session& session, const std::string& table,
                                              const std::string& resource, long long start,
                                              long long end) {
  std::unique_ptr<OverlapCheck> local;
  OverlapCheck& q =
      CachedStatement(session, absl::StrCat("reservations/", table, "/overlap"), local, table);
  q.resource = q.resource2 = resource;
  q.start = q.start2 = q.start3 = start;
  q.end = end;
  std::optional<StoredReservation> hit;
  Run(q, [&] {
    if (q.st.execute(true)) {
      hit = StoredReservation{q.id, {resource, MicrosToTime(q.row_start), MicrosToTime(q.row_end),
                                     q.holder}};
      q.st.fetch();  // step to the end so SQLite does not count the statement as running
    }
  });
  return hit;
}

}  // namespace

Migration ReservationTable::CreateMigration(int version) const {
  Migration m;
  m.version = version;
  m.name = absl::StrCat("create_", table_);
  m.sqlite_sql = absl::Substitute(kSqliteSchema, table_);
  m.postgres_sql = absl::Substitute(kPostgresSchema, table_);
  return m;
}

absl::StatusOr<int64_t> ReservationTable::Reserve(soci::session& session,
                                                  const Reservation& r) const {
  absl::Status valid = ValidateIdentifier(table_);
  if (valid.ok()) valid = ValidateReservation(r);
  if (!valid.ok()) return valid;
  return CatchDbErrors([&]() -> absl::StatusOr<int64_t> {
    std::string resource = r.resource, holder = r.holder;
    long long start = TimeToMicros(r.start), end = TimeToMicros(r.end);
    const bool sqlite = EngineOf(session) == Engine::kSqlite;
    if (sqlite) {
      // Safe as check-then-insert: the caller's BEGIN IMMEDIATE makes this the only writer.
      std::optional<StoredReservation> hit = FirstOverlap(session, table_, resource, start, end);
      if (hit.has_value()) return ConflictError(resource, hit);
    }
    // PostgreSQL: the exclusion constraint decides, also against uncommitted rows of other
    // replicas (it waits for them). DO NOTHING keeps the transaction usable to name the holder.
    std::unique_ptr<InsertReservation> local;
    InsertReservation& q = CachedStatement(
        session, absl::StrCat("reservations/", table_, "/insert"), local, table_, sqlite);
    q.resource = resource;
    q.holder = holder;
    q.start = start;
    q.end = end;
    bool inserted = false;
    Run(q, [&] {
      inserted = q.st.execute(true);
      if (inserted) q.st.fetch();  // step past the RETURNING row: SQLite then ends the statement
    });
    if (inserted) return static_cast<int64_t>(q.id);
    return ConflictError(resource, FirstOverlap(session, table_, resource, start, end));
  });
}

absl::StatusOr<int> ReservationTable::Release(soci::session& session,
                                              absl::string_view holder) const {
  absl::Status valid = ValidateIdentifier(table_);
  if (!valid.ok()) return valid;
  return CatchDbErrors([&]() -> absl::StatusOr<int> {
    std::string h(holder);
    soci::statement st =
        (session.prepare << absl::Substitute("DELETE FROM $0 WHERE holder = :holder", table_),
         soci::use(h));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
  });
}

absl::Status ReservationTable::Move(soci::session& session, absl::string_view holder,
                                   const std::vector<Reservation>& replacement) const {
  absl::StatusOr<int> released = Release(session, holder);
  if (!released.ok()) return released.status();
  for (Reservation r : replacement) {
    r.holder = std::string(holder);
    absl::StatusOr<int64_t> id = Reserve(session, r);
    if (!id.ok()) return id.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StoredReservation>> ReservationTable::ListOverlapping(
    soci::session& session, absl::string_view resource, absl::Time start, absl::Time end) const {
  absl::Status valid = ValidateIdentifier(table_);
  if (!valid.ok()) return valid;
  return CatchDbErrors([&]() -> absl::StatusOr<std::vector<StoredReservation>> {
    return QueryOverlapping(session, table_, std::string(resource), TimeToMicros(start),
                            TimeToMicros(end), 0);
  });
}

absl::StatusOr<std::vector<StoredReservation>> ReservationTable::ListByHolder(
    soci::session& session, absl::string_view holder) const {
  absl::Status valid = ValidateIdentifier(table_);
  if (!valid.ok()) return valid;
  return CatchDbErrors([&]() -> absl::StatusOr<std::vector<StoredReservation>> {
    std::string h(holder), resource;
    long long id = 0, start = 0, end = 0;
    soci::statement st =
        (session.prepare << absl::Substitute("SELECT id, resource, start_us, end_us FROM $0"
                                             " WHERE holder = :holder ORDER BY resource, start_us",
                                             table_),
         soci::into(id), soci::into(resource), soci::into(start), soci::into(end), soci::use(h));
    st.execute();
    std::vector<StoredReservation> out;
    while (st.fetch()) out.push_back({id, {resource, MicrosToTime(start), MicrosToTime(end), h}});
    return out;
  });
}

}  // namespace etnik::db
