#include "common/auth/identity.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"

namespace etnik::auth {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// Malformed claims are a bad token, reported like every other token failure.
absl::Status InvalidClaims(absl::string_view message) {
  return ErrorWithInfo(absl::StatusCode::kUnauthenticated, message, "INVALID_TOKEN");
}

// Reads an optional string claim; a present claim of another type is an error.
absl::Status ReadString(const Struct& claims, const std::string& key, std::string* out) {
  auto it = claims.fields().find(key);
  if (it == claims.fields().end() || it->second.kind_case() == Value::kNullValue) return absl::OkStatus();
  if (it->second.kind_case() != Value::kStringValue) {
    return InvalidClaims(absl::StrCat("token claim '", key, "' must be a string"));
  }
  *out = it->second.string_value();
  return absl::OkStatus();
}

// Reads an optional array-of-strings claim.
absl::Status ReadStringList(const Struct& claims, const std::string& key, std::vector<std::string>* out) {
  auto it = claims.fields().find(key);
  if (it == claims.fields().end() || it->second.kind_case() == Value::kNullValue) return absl::OkStatus();
  if (it->second.kind_case() != Value::kListValue) {
    return InvalidClaims(absl::StrCat("token claim '", key, "' must be an array of strings"));
  }
  for (const Value& v : it->second.list_value().values()) {
    if (v.kind_case() != Value::kStringValue) {
      return InvalidClaims(absl::StrCat("token claim '", key, "' must be an array of strings"));
    }
    out->push_back(v.string_value());
  }
  return absl::OkStatus();
}

std::string JoinRoles(std::initializer_list<Role> roles) {
  std::vector<std::string> names;
  for (Role r : roles) names.emplace_back(RoleName(r));
  return absl::StrJoin(names, ",");
}

absl::Status Unauthenticated() {
  return ErrorWithInfo(absl::StatusCode::kUnauthenticated, "this call needs a bearer token",
                       "UNAUTHENTICATED");
}

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kOrganiser: return "organiser";
    case Role::kReviewer: return "reviewer";
    case Role::kHubLead: return "hub_lead";
    case Role::kExpert: return "expert";
    case Role::kParticipant: return "participant";
    case Role::kService: return "service";
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (Role r : kAllRoles) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

bool HasRole(const Identity& identity, Role role) {
  return !identity.anonymous && identity.roles.count(role) > 0;
}

bool IsHubLeadOf(const Identity& identity, absl::string_view hub_id) {
  return HasRole(identity, Role::kHubLead) && identity.hub_ids.count(std::string(hub_id)) > 0;
}

bool CanManageHub(const Identity& identity, absl::string_view hub_id) {
  return HasRole(identity, Role::kOrganiser) || IsHubLeadOf(identity, hub_id);
}

absl::Status RequireRole(const Identity& identity, std::initializer_list<Role> roles) {
  if (identity.anonymous) return Unauthenticated();
  for (Role r : roles) {
    if (HasRole(identity, r)) return absl::OkStatus();
  }
  std::string required = JoinRoles(roles);
  return ErrorWithInfo(absl::StatusCode::kPermissionDenied,
                       absl::StrCat("this call needs one of the roles: ", required), "MISSING_ROLE",
                       {{"required_roles", required}});
}

absl::Status RequireAuthenticated(const Identity& identity) {
  return identity.anonymous ? Unauthenticated() : absl::OkStatus();
}

absl::Status RequireCanManageHub(const Identity& identity, absl::string_view hub_id) {
  if (identity.anonymous) return Unauthenticated();
  if (CanManageHub(identity, hub_id)) return absl::OkStatus();
  return ErrorWithInfo(absl::StatusCode::kPermissionDenied,
                       absl::StrCat("only an organiser or a lead of hub ", hub_id, " may change it"),
                       "NOT_HUB_LEAD", {{"hub_id", std::string(hub_id)}});
}

absl::StatusOr<Identity> IdentityFromClaims(const Struct& claims) {
  Identity identity;
  if (absl::Status s = ReadString(claims, "sub", &identity.subject); !s.ok()) return s;
  if (identity.subject.empty()) return InvalidClaims("token has no subject ('sub' claim)");
  if (absl::Status s = ReadString(claims, "name", &identity.name); !s.ok()) return s;
  if (absl::Status s = ReadString(claims, "email", &identity.email); !s.ok()) return s;
  std::vector<std::string> roles;
  if (absl::Status s = ReadStringList(claims, "roles", &roles); !s.ok()) return s;
  for (const std::string& name : roles) {
    if (std::optional<Role> role = ParseRole(name)) identity.roles.insert(*role);
  }
  std::vector<std::string> hubs;
  if (absl::Status s = ReadStringList(claims, "hubs", &hubs); !s.ok()) return s;
  for (std::string& hub : hubs) {
    if (!hub.empty()) identity.hub_ids.insert(std::move(hub));
  }
  return identity;
}

}  // namespace etnik::auth
