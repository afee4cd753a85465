#ifndef ETNIK_SERVICES_HUBS_MAPPING_EVENT_MAPPING_H_
#define ETNIK_SERVICES_HUBS_MAPPING_EVENT_MAPPING_H_

// The hubs domain's events as etnik.events.v1.DomainEvent envelopes (what the outbox carries).

#include <string>

#include "etnik/events/v1/domain_event.pb.h"
#include "services/hubs/domain/events.h"

namespace etnik::hubs::mapping {

// The producer name in every envelope.
inline constexpr char kProducer[] = "hubs";

etnik::events::v1::DomainEvent ToProtoEvent(const DomainEvent& event, const std::string& event_id);

}  // namespace etnik::hubs::mapping

#endif  // ETNIK_SERVICES_HUBS_MAPPING_EVENT_MAPPING_H_
