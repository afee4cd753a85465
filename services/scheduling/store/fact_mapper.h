#ifndef ETNIK_SERVICES_SCHEDULING_STORE_FACT_MAPPER_H_
#define ETNIK_SERVICES_SCHEDULING_STORE_FACT_MAPPER_H_

#include "etnik/events/v1/domain_event.pb.h"
#include "services/scheduling/domain/domain_events.h"

namespace etnik::scheduling::store {

// The wire form of a scheduling fact (producer "scheduling").
etnik::events::v1::DomainEvent ToDomainEvent(const Fact& fact);

}  // namespace etnik::scheduling::store

#endif  // ETNIK_SERVICES_SCHEDULING_STORE_FACT_MAPPER_H_
