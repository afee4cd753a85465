#include "services/hubs/store/local_outbox.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/db/db_errors.h"
#include "common/db/time_micros.h"
#include "services/hubs/store/sql_query.h"
#include "soci/soci.h"

namespace etnik::hubs::store {

db::Migration LocalOutboxWriter::CreateMigration(int version) {
  db::Migration m;
  m.version = version;
  m.name = "create_hubs_outbox";
  // The serialized envelope is kept as base64 text: one column type on both engines.
  m.sqlite_sql = R"sql(
CREATE TABLE hubs_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_us BIGINT NOT NULL
);)sql";
  m.postgres_sql = R"sql(
CREATE TABLE hubs_outbox (
  seq BIGSERIAL PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_us BIGINT NOT NULL
);)sql";
  m.sql = m.sqlite_sql;
  return m;
}

absl::Status LocalOutboxWriter::Write(soci::session& session, const etnik::events::v1::DomainEvent& event) {
  return db::CatchDbErrors([&]() -> absl::Status {
    SqlQuery q(session);
    const long long created =
        event.occur_time().seconds() * 1000000LL + event.occur_time().nanos() / 1000;
    q.Run(absl::StrCat("INSERT INTO hubs_outbox (event_id, type, payload, created_us) VALUES (",
                       q.Bind(event.event_id()), ", ", q.Bind(event.type()), ", ",
                       q.Bind(absl::Base64Escape(event.SerializeAsString())), ", ", q.Bind(created), ")"));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<etnik::events::v1::DomainEvent>> ReadLocalOutbox(db::Database& db) {
  std::vector<etnik::events::v1::DomainEvent> out;
  absl::Status status = db.InTransaction(db::TxMode::kRead, [&](soci::session& session) -> absl::Status {
    out.clear();
    SqlQuery q(session);
    std::string payload;
    q.Into(payload);
    q.Execute("SELECT payload FROM hubs_outbox ORDER BY seq");
    while (q.Fetch()) {
      std::string bytes;
      if (!absl::Base64Unescape(payload, &bytes) || !out.emplace_back().ParseFromString(bytes)) {
        return absl::DataLossError("an outbox row does not hold a DomainEvent");
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace etnik::hubs::store
