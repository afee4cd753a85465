#ifndef ETNIK_SERVICES_SCHEDULING_STORE_FOREIGN_EVENTS_H_
#define ETNIK_SERVICES_SCHEDULING_STORE_FOREIGN_EVENTS_H_

// Scheduling's read models fed by the registration and hubs services' domain events: programme
// stages (windows and targets), experts (zone, weekly availability, exceptions) and hubs
// (title, leads). Applied inside the stream consumer's transaction, so each update commits
// together with the consumer's dedupe record.

#include "absl/status/status.h"
#include "common/clock/clock.h"
#include "common/outbox/stream_consumer.h"
#include "etnik/events/v1/domain_event.pb.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::scheduling::store {

// The streams scheduling consumes, and its consumer group on them.
inline constexpr char kHubsStream[] = "etnik:events:hubs";
inline constexpr char kRegistrationStream[] = "etnik:events:registration";
inline constexpr char kConsumerGroup[] = "scheduling";

// Applies one event. Events scheduling has no use for are ignored (OK). An event whose content
// cannot be used (an unknown zone, a reversed window) is logged and skipped (OK): retrying it
// would not change it. Database errors are returned, so the entry stays pending and is retried.
absl::Status ApplyForeignEvent(soci::session& session, const Clock& clock,
                               const etnik::events::v1::DomainEvent& event);

// The StreamConsumer handler: parses the entry and applies it. An entry that is not a
// DomainEvent fails (and ends among the dead letters after the consumer's retries).
outbox::EventHandler ForeignEventHandler(const Clock& clock);

}  // namespace etnik::scheduling::store

#endif  // ETNIK_SERVICES_SCHEDULING_STORE_FOREIGN_EVENTS_H_
