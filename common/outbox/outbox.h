#ifndef ETNIK_COMMON_OUTBOX_OUTBOX_H_
#define ETNIK_COMMON_OUTBOX_OUTBOX_H_

// The transactional outbox: a service writes the events of a state change into the `outbox`
// table inside the same transaction as the change, so an event exists if and only if the change
// committed. OutboxRelay (outbox_relay.h) later publishes the rows to Redis Streams.
//
// Wiring in a service:
//   migrations.push_back(outbox::OutboxMigration(next_version++));
//   // in a store adapter's unit of work:
//   db.InTransaction(TxMode::kWrite, [&](soci::session& s) {
//     ... write the state change ...
//     return outbox::Enqueue(s, outbox::FromDomainEvent(event, "etnik:events:scheduling"));
//   });
//   relay.Notify();  // after the commit: publish now rather than at the next poll

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/db/migrations.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::outbox {

// The table names this library creates.
inline constexpr char kOutboxTable[] = "outbox";

// One event to publish. The payload is opaque bytes (a serialized etnik.events.v1.DomainEvent
// for domain events; see outbox_proto.h) and may hold any byte, NUL included.
struct OutboxMessage {
  std::string event_id;  // unique within the outbox; consumers deduplicate on it
  std::string stream;    // Redis stream key, e.g. "etnik:events:scheduling"
  std::string type;      // e.g. "etnik.events.v1.SessionBooked"
  std::string payload;
  // When the fact happened; the relay's lag is measured from it. When left infinite-past,
  // Enqueue uses the system clock.
  absl::Time created = absl::InfinitePast();
};

// Creates `outbox`: seq (BIGSERIAL / INTEGER PRIMARY KEY, publication order), event_id (unique),
// stream, type, payload (BYTEA / BLOB), created_us, published_us (NULL while pending), with
// partial indexes on the pending and the published rows.
db::Migration OutboxMigration(int version);

// Inserts `message` into the outbox through the caller's transaction. INVALID_ARGUMENT when
// event_id, stream or type is empty; ALREADY_EXISTS (reason UNIQUE_VIOLATION) when the event_id
// is already there (on PostgreSQL that also aborts the transaction: return the status).
// Never throws.
absl::Status Enqueue(soci::session& session, const OutboxMessage& message);

}  // namespace etnik::outbox

#endif  // ETNIK_COMMON_OUTBOX_OUTBOX_H_
