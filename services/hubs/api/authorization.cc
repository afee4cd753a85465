#include "services/hubs/api/authorization.h"

namespace etnik::hubs::api {

using auth::Role;

bool IsStaff(const auth::Identity& who) {
  return auth::HasRole(who, Role::kOrganiser) || auth::HasRole(who, Role::kService);
}

absl::Status RequireOrganiser(const auth::Identity& who) { return auth::RequireRole(who, {Role::kOrganiser}); }

absl::Status RequireStaff(const auth::Identity& who) {
  return auth::RequireRole(who, {Role::kOrganiser, Role::kService});
}

absl::Status RequireHubReader(const auth::Identity& who, const std::string& hub_id) {
  if (auth::HasRole(who, Role::kService)) return absl::OkStatus();
  return auth::RequireCanManageHub(who, hub_id);
}

absl::Status RequireHubManager(const auth::Identity& who, const std::string& hub_id) {
  return auth::RequireCanManageHub(who, hub_id);
}

absl::Status RequireStaffOrHubLead(const auth::Identity& who) {
  return auth::RequireRole(who, {Role::kOrganiser, Role::kService, Role::kHubLead});
}

}  // namespace etnik::hubs::api
