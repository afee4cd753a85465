#ifndef ETNIK_SERVICES_HUBS_STORE_OUTBOX_EVENTS_H_
#define ETNIK_SERVICES_HUBS_STORE_OUTBOX_EVENTS_H_

// The hubs service on the shared event bus (common/outbox): its domain events go into the
// outbox table in the transaction of their change and the relay publishes them to
// "etnik:events:hubs"; registration's events arrive from "etnik:events:registration".

#include <vector>

#include "absl/status/statusor.h"
#include "common/db/database.h"
#include "common/outbox/stream_consumer.h"
#include "etnik/events/v1/domain_event.pb.h"
#include "services/hubs/store/sql_hubs_store.h"

namespace etnik::hubs::store {

inline constexpr char kHubsEventStream[] = "etnik:events:hubs";
inline constexpr char kRegistrationEventStream[] = "etnik:events:registration";
// The consumer group the hubs service reads other services' streams in.
inline constexpr char kConsumerGroup[] = "hubs";

// Enqueues each event into the outbox through the unit of work's session.
class OutboxEventWriter final : public EventWriter {
 public:
  absl::Status Write(soci::session& session, const etnik::events::v1::DomainEvent& event) override;
};

// The consumer's handler for registration's stream: applies confirmed participants and stage
// targets in the consumer's transaction (with its dedupe record). `store` must outlive it.
outbox::EventHandler RegistrationEventHandler(SqlHubsStore& store);

// Events still waiting in the outbox, oldest first (for tests and operators).
absl::StatusOr<std::vector<etnik::events::v1::DomainEvent>> PendingEvents(db::Database& db);

}  // namespace etnik::hubs::store

#endif  // ETNIK_SERVICES_HUBS_STORE_OUTBOX_EVENTS_H_
