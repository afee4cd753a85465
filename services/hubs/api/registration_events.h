#ifndef ETNIK_SERVICES_HUBS_API_REGISTRATION_EVENTS_H_
#define ETNIK_SERVICES_HUBS_API_REGISTRATION_EVENTS_H_

// What the hubs service learns from the registration service's domain events: confirmed
// participants (who may be assigned to hubs) and the hub targets of programme stages. The
// stream consumer calls this per event; applying an event twice changes nothing, so
// redeliveries are harmless.

#include "absl/status/status.h"
#include "etnik/events/v1/domain_event.pb.h"
#include "services/hubs/domain/hubs_use_cases.h"

namespace etnik::hubs::api {

// OK for events of other types (ignored). A malformed event is INVALID_ARGUMENT: retrying it
// cannot help, so the consumer may dead-letter it.
absl::Status ApplyRegistrationEvent(HubsUseCases& use_cases, const etnik::events::v1::DomainEvent& event);

}  // namespace etnik::hubs::api

#endif  // ETNIK_SERVICES_HUBS_API_REGISTRATION_EVENTS_H_
