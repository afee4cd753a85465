#ifndef ETNIK_SERVICES_HUBS_MAPPING_REGISTRATION_EVENTS_H_
#define ETNIK_SERVICES_HUBS_MAPPING_REGISTRATION_EVENTS_H_

// What the hubs service learns from the registration service's domain events: confirmed
// participants (who may be assigned to hubs) and the hub targets of programme stages. Applying
// an event twice changes nothing, so redeliveries are harmless.

#include "absl/status/status.h"
#include "etnik/events/v1/domain_event.pb.h"
#include "services/hubs/domain/ports.h"

namespace etnik::hubs::mapping {

// Inside the caller's unit of work (a stream consumer's transaction). OK for events of other
// types (ignored); a malformed event is INVALID_ARGUMENT, which no retry cures.
absl::Status ApplyRegistrationEvent(HubsTransaction& tx, const etnik::events::v1::DomainEvent& event);

// In a unit of work of its own.
absl::Status ApplyRegistrationEvent(HubsStore& store, const etnik::events::v1::DomainEvent& event);

}  // namespace etnik::hubs::mapping

#endif  // ETNIK_SERVICES_HUBS_MAPPING_REGISTRATION_EVENTS_H_
