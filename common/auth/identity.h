#ifndef ETNIK_COMMON_AUTH_IDENTITY_H_
#define ETNIK_COMMON_AUTH_IDENTITY_H_

// Who is calling, and what they may do. Plain C++: domain code and handlers both use it.

#include <initializer_list>
#include <optional>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace etnik::auth {

enum class Role { kOrganiser, kReviewer, kHubLead, kExpert, kParticipant, kService };

// Every role, in declaration order (for listings, the token command and tests).
inline constexpr Role kAllRoles[] = {Role::kOrganiser, Role::kReviewer,    Role::kHubLead,
                                     Role::kExpert,    Role::kParticipant, Role::kService};

// The claim spelling: "organiser", "reviewer", "hub_lead", "expert", "participant", "service".
absl::string_view RoleName(Role role);
std::optional<Role> ParseRole(absl::string_view name);

struct Identity {
  std::string subject;  // `sub`: stable user or service id
  std::string name;
  std::string email;
  std::set<Role> roles;
  std::set<std::string> hub_ids;  // `hubs`: the hubs a hub lead leads
  bool anonymous = false;         // no token at all; handlers decide whether that may proceed

  static Identity Anonymous() {
    Identity identity;
    identity.anonymous = true;
    return identity;
  }
};

bool HasRole(const Identity& identity, Role role);
// True when the caller holds the hub_lead role and `hub_id` is among the hubs it leads.
bool IsHubLeadOf(const Identity& identity, absl::string_view hub_id);
// Organisers manage every hub; a hub lead manages only the hubs it leads.
bool CanManageHub(const Identity& identity, absl::string_view hub_id);

// OK when the caller holds at least one of `roles`. An anonymous caller gets UNAUTHENTICATED
// (reason "UNAUTHENTICATED"); anyone else without the role gets PERMISSION_DENIED (reason
// "MISSING_ROLE", metadata "required_roles").
absl::Status RequireRole(const Identity& identity, std::initializer_list<Role> roles);
// OK for any caller with a verified token; UNAUTHENTICATED for an anonymous one.
absl::Status RequireAuthenticated(const Identity& identity);
// OK when CanManageHub; otherwise UNAUTHENTICATED (anonymous) or PERMISSION_DENIED with reason
// "NOT_HUB_LEAD" and metadata "hub_id".
absl::Status RequireCanManageHub(const Identity& identity, absl::string_view hub_id);

// Builds an identity from verified claims (`sub`, `name`, `email`, `roles`, `hubs`). A missing
// `sub` or a claim of the wrong JSON type is UNAUTHENTICATED; unknown role names are ignored so
// an identity provider may carry roles of other applications.
absl::StatusOr<Identity> IdentityFromClaims(const google::protobuf::Struct& claims);

}  // namespace etnik::auth

#endif  // ETNIK_COMMON_AUTH_IDENTITY_H_
