#include "services/hubs/store/outbox_events.h"

#include "common/outbox/outbox.h"
#include "common/outbox/outbox_proto.h"
#include "common/outbox/outbox_rows.h"
#include "services/hubs/mapping/registration_events.h"

namespace etnik::hubs::store {

absl::Status OutboxEventWriter::Write(soci::session& session, const etnik::events::v1::DomainEvent& event) {
  return outbox::Enqueue(session, outbox::FromDomainEvent(event, kHubsEventStream));
}

outbox::EventHandler RegistrationEventHandler(SqlHubsStore& store) {
  return [&store](soci::session& session, const outbox::StreamEvent& entry) -> absl::Status {
    absl::StatusOr<etnik::events::v1::DomainEvent> event = outbox::ToDomainEvent(entry);
    if (!event.ok()) return event.status();
    return store.RunInSession(session,
                              [&](HubsTransaction& tx) { return mapping::ApplyRegistrationEvent(tx, *event); });
  };
}

absl::StatusOr<std::vector<etnik::events::v1::DomainEvent>> PendingEvents(db::Database& db) {
  std::vector<etnik::events::v1::DomainEvent> out;
  absl::Status status = db.InTransaction(db::TxMode::kRead, [&](soci::session& session) -> absl::Status {
    out.clear();
    absl::StatusOr<std::vector<outbox::OutboxRow>> rows = outbox::FetchPending(session, 100000);
    if (!rows.ok()) return rows.status();
    for (const outbox::OutboxRow& row : *rows) {
      if (!out.emplace_back().ParseFromString(row.message.payload)) {
        return absl::DataLossError("an outbox row does not hold a DomainEvent");
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace etnik::hubs::store
