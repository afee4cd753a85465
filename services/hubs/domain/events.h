#ifndef ETNIK_SERVICES_HUBS_DOMAIN_EVENTS_H_
#define ETNIK_SERVICES_HUBS_DOMAIN_EVENTS_H_

// Facts the hubs service tells other services. Use cases emit them inside the transaction of
// the change; the store writes them to the outbox with it (see ports.h).

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/time/time.h"
#include "services/hubs/domain/model.h"

namespace etnik::hubs {

// A hub entered the public catalogue.
struct HubPublishedEvent {
  Hub hub;
  std::vector<std::string> expert_ids;
  std::vector<HubLead> leads;
};

// A hub was closed.
struct HubClosedEvent {
  Hub hub;
};

// An expert joined a hub; expert.hubs lists the hubs after the change.
struct ExpertAddedEvent {
  Hub hub;
  Expert expert;
};

// An expert left a hub; expert.hubs lists the hubs after the change.
struct ExpertRemovedEvent {
  Hub hub;
  Expert expert;
};

// An expert's name, account, contact, language, zone or availability changed.
struct ExpertChangedEvent {
  Expert expert;
};

// The leads of a hub changed; `leads` is the whole current set.
struct HubLeadsChangedEvent {
  Hub hub;
  std::vector<HubLead> leads;
  std::vector<std::string> added_subjects;
  std::vector<std::string> removed_subjects;
};

// A confirmed participant was assigned to a hub.
struct ParticipantAssignedEvent {
  Hub hub;
  Assignment assignment;
};

using EventPayload = std::variant<HubPublishedEvent, HubClosedEvent, ExpertAddedEvent, ExpertRemovedEvent,
                                  ExpertChangedEvent, HubLeadsChangedEvent, ParticipantAssignedEvent>;

struct DomainEvent {
  std::string aggregate;  // resource name of the changed resource: hubs/{hub} or experts/{expert}
  int64_t aggregate_version = 0;
  absl::Time occur_time = absl::UnixEpoch();
  std::string request_id;  // the call's trace id
  std::string actor;       // subject of the caller
  EventPayload payload;
};

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_DOMAIN_EVENTS_H_
