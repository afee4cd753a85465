#ifndef ETNIK_SERVICES_HUBS_DOMAIN_REGISTRATION_FACTS_H_
#define ETNIK_SERVICES_HUBS_DOMAIN_REGISTRATION_FACTS_H_

// Facts the hubs service learns from the registration service, applied inside the caller's
// unit of work (the event consumer's, so the fact and its dedupe record commit together).
// Both are upserts: applying one fact twice changes nothing.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/hubs/domain/model.h"
#include "services/hubs/domain/ports.h"

namespace etnik::hubs {

// A participant confirmed for a programme may from now on be assigned to its hubs.
absl::Status RecordParticipantConfirmed(HubsTransaction& tx, const ConfirmedParticipant& participant);

// The hub-related targets of one stage; an empty list forgets the stage.
absl::Status RecordStageTargets(HubsTransaction& tx, const std::string& stage,
                                const std::vector<StageTarget>& targets);

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_DOMAIN_REGISTRATION_FACTS_H_
