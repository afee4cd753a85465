#include "common/outbox/outbox.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/clock/clock.h"
#include "common/db/db_errors.h"
#include "common/db/engine.h"
#include "common/db/time_micros.h"
#include "common/outbox/outbox_rows.h"
#include "soci/soci.h"

namespace etnik::outbox {
namespace {

// seq gives the publication order; AUTOINCREMENT keeps SQLite from reusing the numbers of
// deleted rows. The partial indexes keep the relay's scans proportional to the pending rows
// and the clean-up proportional to the expired ones.
constexpr char kSqliteSchema[] = R"sql(
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  stream TEXT NOT NULL,
  type TEXT NOT NULL,
  payload BLOB NOT NULL,
  created_us BIGINT NOT NULL,
  published_us BIGINT
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_us IS NULL;
CREATE INDEX outbox_published ON outbox (published_us) WHERE published_us IS NOT NULL;
)sql";

constexpr char kPostgresSchema[] = R"sql(
CREATE TABLE outbox (
  seq BIGSERIAL PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  stream TEXT NOT NULL,
  type TEXT NOT NULL,
  payload BYTEA NOT NULL,
  created_us BIGINT NOT NULL,
  published_us BIGINT
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_us IS NULL;
CREATE INDEX outbox_published ON outbox (published_us) WHERE published_us IS NOT NULL;
)sql";

// SOCI binds strings as text. SQLite keeps every byte of a bound text (its length is passed)
// and the CAST stores it as a BLOB; PostgreSQL text parameters stop at NUL, so bytes travel
// as hex and the server converts.
const char* PayloadParam(db::Engine engine) {
  return engine == db::Engine::kPostgres ? "decode(:payload, 'hex')" : "CAST(:payload AS BLOB)";
}
const char* PayloadColumn(db::Engine engine) {
  return engine == db::Engine::kPostgres ? "encode(payload, 'hex')" : "payload";
}
std::string EncodePayload(db::Engine engine, const std::string& bytes) {
  return engine == db::Engine::kPostgres ? absl::BytesToHexString(bytes) : bytes;
}
std::string DecodePayload(db::Engine engine, const std::string& column) {
  return engine == db::Engine::kPostgres ? absl::HexStringToBytes(column) : column;
}

// Arbitrary, fixed: the advisory lock that lets one relay of a database publish at a time.
constexpr long long kRelayLockKey = 0x6f7574626f78;  // "outbox"

}  // namespace

db::Migration OutboxMigration(int version) {
  db::Migration m;
  m.version = version;
  m.name = "create_outbox";
  m.sqlite_sql = kSqliteSchema;
  m.postgres_sql = kPostgresSchema;
  return m;
}

absl::Status Enqueue(soci::session& session, const OutboxMessage& message) {
  if (message.event_id.empty()) return absl::InvalidArgumentError("outbox message has no event_id");
  if (message.stream.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("outbox message ", message.event_id, " has no stream"));
  }
  if (message.type.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("outbox message ", message.event_id, " has no type"));
  }
  return db::CatchDbErrors([&]() -> absl::Status {
    const db::Engine engine = db::EngineOf(session);
    absl::Time created = message.created == absl::InfinitePast() ? SystemClock::Get().Now()
                                                                 : message.created;
    long long created_us = db::TimeToMicros(created);
    std::string event_id = message.event_id, stream = message.stream, type = message.type;
    std::string payload = EncodePayload(engine, message.payload);
    session << absl::StrCat("INSERT INTO outbox (event_id, stream, type, payload, created_us)"
                            " VALUES (:event_id, :stream, :type, ",
                            PayloadParam(engine), ", :created_us)"),
        soci::use(event_id), soci::use(stream), soci::use(type), soci::use(payload),
        soci::use(created_us);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<OutboxRow>> FetchPending(soci::session& session, int limit) {
  if (limit < 1) return absl::InvalidArgumentError("limit must be positive");
  return db::CatchDbErrors([&]() -> absl::StatusOr<std::vector<OutboxRow>> {
    const db::Engine engine = db::EngineOf(session);
    long long seq = 0, created_us = 0;
    std::string event_id, stream, type, payload;
    long long lim = limit;
    soci::statement st =
        (session.prepare << absl::StrCat("SELECT seq, event_id, stream, type, ",
                                         PayloadColumn(engine),
                                         ", created_us FROM outbox WHERE published_us IS NULL"
                                         " ORDER BY seq LIMIT :limit"),
         soci::into(seq), soci::into(event_id), soci::into(stream), soci::into(type),
         soci::into(payload), soci::into(created_us), soci::use(lim));
    st.execute();
    std::vector<OutboxRow> rows;
    while (st.fetch()) {
      OutboxRow row;
      row.seq = seq;
      row.message.event_id = event_id;
      row.message.stream = stream;
      row.message.type = type;
      row.message.payload = DecodePayload(engine, payload);
      row.message.created = db::MicrosToTime(created_us);
      rows.push_back(std::move(row));
    }
    return rows;
  });
}

absl::StatusOr<int> MarkPublished(soci::session& session, absl::Span<const int64_t> seqs,
                                  absl::Time published) {
  if (seqs.empty()) return 0;
  return db::CatchDbErrors([&]() -> absl::StatusOr<int> {
    long long published_us = db::TimeToMicros(published);
    long long seq = 0;
    soci::statement st = (session.prepare << "UPDATE outbox SET published_us = :published_us"
                                             " WHERE seq = :seq AND published_us IS NULL",
                          soci::use(published_us), soci::use(seq));
    int changed = 0;
    for (int64_t s : seqs) {
      seq = s;
      st.execute(true);
      changed += static_cast<int>(st.get_affected_rows());
    }
    return changed;
  });
}

absl::StatusOr<int64_t> CountPending(soci::session& session) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<int64_t> {
    long long n = 0;
    session << "SELECT COUNT(*) FROM outbox WHERE published_us IS NULL", soci::into(n);
    return static_cast<int64_t>(n);
  });
}

absl::StatusOr<int> DeletePublishedBefore(soci::session& session, absl::Time cutoff, int limit) {
  if (limit < 1) return absl::InvalidArgumentError("limit must be positive");
  return db::CatchDbErrors([&]() -> absl::StatusOr<int> {
    long long cutoff_us = db::TimeToMicros(cutoff), lim = limit;
    soci::statement st =
        (session.prepare << "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox"
                            " WHERE published_us IS NOT NULL AND published_us < :cutoff_us"
                            " LIMIT :limit)",
         soci::use(cutoff_us), soci::use(lim));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
  });
}

absl::StatusOr<bool> TryLockRelay(soci::session& session) {
  return db::CatchDbErrors([&]() -> absl::StatusOr<bool> {
    if (db::EngineOf(session) != db::Engine::kPostgres) return true;
    int locked = 0;
    long long key = kRelayLockKey;
    session << "SELECT CASE WHEN pg_try_advisory_xact_lock(:key) THEN 1 ELSE 0 END",
        soci::use(key), soci::into(locked);
    return locked == 1;
  });
}

}  // namespace etnik::outbox
