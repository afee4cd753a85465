#ifndef ETNIK_SERVICES_HUBS_API_AUTHORIZATION_H_
#define ETNIK_SERVICES_HUBS_API_AUTHORIZATION_H_

// Who may do what in the hubs API. Anonymous callers get UNAUTHENTICATED and callers without
// the right get PERMISSION_DENIED, both with an ErrorInfo reason (common/auth/identity.h).

#include <string>

#include "absl/status/status.h"
#include "common/auth/identity.h"

namespace etnik::hubs::api {

// Organisers manage everything.
absl::Status RequireOrganiser(const auth::Identity& who);
// Organisers and other services (reads, progress).
absl::Status RequireStaff(const auth::Identity& who);
// Organisers, services, and the leads of this hub (reading it).
absl::Status RequireHubReader(const auth::Identity& who, const std::string& hub_id);
// Organisers and the leads of this hub (changing it).
absl::Status RequireHubManager(const auth::Identity& who, const std::string& hub_id);
// Organisers, services and hub leads: expert profiles (shared between hubs) and hub lists.
absl::Status RequireStaffOrHubLead(const auth::Identity& who);

bool IsStaff(const auth::Identity& who);

}  // namespace etnik::hubs::api

#endif  // ETNIK_SERVICES_HUBS_API_AUTHORIZATION_H_
