#include "common/db/seat_counters.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "common/db/db_errors.h"
#include "common/db/engine.h"
#include "common/db/statement_cache.h"
#include "common/status/errors.h"
#include "soci/soci.h"

namespace etnik::db {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE $0 (
  counter_key TEXT PRIMARY KEY,
  taken BIGINT NOT NULL,
  CONSTRAINT $0_not_negative CHECK (taken >= 0)
);
)sql";

long long ReadTaken(soci::session& session, const std::string& table, const std::string& key) {
  long long taken = 0;
  std::string k = key;
  session << absl::Substitute("SELECT taken FROM $0 WHERE counter_key = :key", table),
      soci::use(k), soci::into(taken);
  return session.got_data() ? taken : 0;
}

// The conditional upsert of TryTakeSeat, prepared once per connection.
struct TakeSeats : StatementCache::Entry {
  TakeSeats(soci::session& session, const std::string& table)
      : st((session.prepare << absl::Substitute(
                "INSERT INTO $0 AS c (counter_key, taken) VALUES (:key, :seats)"
                " ON CONFLICT (counter_key) DO UPDATE SET taken = c.taken + excluded.taken"
                " WHERE c.taken + excluded.taken <= :capacity RETURNING taken",
                table),
            soci::use(key), soci::use(seats), soci::use(capacity), soci::into(taken))) {}
  std::string key;
  long long seats = 0, capacity = 0, taken = 0;
  soci::statement st;
};

}  // namespace

Migration SeatCounterTable::CreateMigration(int version) const {
  Migration m;
  m.version = version;
  m.name = absl::StrCat("create_", table_);
  m.sql = absl::Substitute(kSchema, table_);
  return m;
}

absl::StatusOr<int64_t> SeatCounterTable::TryTakeSeat(soci::session& session,
                                                      absl::string_view key, int64_t capacity,
                                                      int64_t seats) const {
  absl::Status valid = ValidateIdentifier(table_);
  if (!valid.ok()) return valid;
  if (key.empty()) return absl::InvalidArgumentError("seat counter key is empty");
  if (seats <= 0) return absl::InvalidArgumentError("seats to take must be positive");
  return CatchDbErrors([&]() -> absl::StatusOr<int64_t> {
    std::string k(key);
    if (seats <= capacity) {
      // One statement: create the counter or add to it, but only while it stays within capacity.
      std::unique_ptr<TakeSeats> local;
      TakeSeats& q =
          CachedStatement(session, absl::StrCat("seats/", table_, "/take"), local, table_);
      q.key = k;
      q.seats = seats;
      q.capacity = capacity;
      bool taken_now = false;
      Run(q, [&] {
        taken_now = q.st.execute(true);
        if (taken_now) q.st.fetch();  // step past the RETURNING row: SQLite then ends it
      });
      if (taken_now) return static_cast<int64_t>(q.taken);
    }
    long long taken = ReadTaken(session, table_, k);
    return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                         absl::StrCat("no seat left for ", k, ": ", taken, " of ", capacity,
                                      " taken, ", seats, " requested"),
                         kReasonCapacityExhausted,
                         {{"key", k},
                          {"capacity", absl::StrCat(capacity)},
                          {"taken", absl::StrCat(taken)}});
  });
}

absl::StatusOr<int64_t> SeatCounterTable::ReturnSeat(soci::session& session,
                                                     absl::string_view key, int64_t seats) const {
  absl::Status valid = ValidateIdentifier(table_);
  if (!valid.ok()) return valid;
  if (seats <= 0) return absl::InvalidArgumentError("seats to return must be positive");
  return CatchDbErrors([&]() -> absl::StatusOr<int64_t> {
    std::string k(key);
    long long n = seats, n2 = seats, taken = 0;
    session << absl::Substitute(
                   "UPDATE $0 SET taken = taken - :seats"
                   " WHERE counter_key = :key AND taken >= :seats2 RETURNING taken",
                   table_),
        soci::use(n), soci::use(k), soci::use(n2), soci::into(taken);
    if (session.got_data()) return static_cast<int64_t>(taken);
    return absl::FailedPreconditionError(absl::StrCat("cannot return ", seats, " seats of ", k,
                                                      ": only ", ReadTaken(session, table_, k),
                                                      " are taken"));
  });
}

absl::StatusOr<int64_t> SeatCounterTable::Taken(soci::session& session,
                                                absl::string_view key) const {
  absl::Status valid = ValidateIdentifier(table_);
  if (!valid.ok()) return valid;
  return CatchDbErrors([&]() -> absl::StatusOr<int64_t> {
    return static_cast<int64_t>(ReadTaken(session, table_, std::string(key)));
  });
}

}  // namespace etnik::db
