#include "common/auth/identity.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace etnik::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Identity WithRoles(std::set<Role> roles, std::set<std::string> hubs = {}) {
  Identity identity;
  identity.subject = "user-1";
  identity.roles = std::move(roles);
  identity.hub_ids = std::move(hubs);
  return identity;
}

google::protobuf::Struct Claims(const std::string& json) {
  google::protobuf::Struct s;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &s).ok()) << json;
  return s;
}

TEST(RoleTest, NamesRoundTrip) {
  for (Role role : kAllRoles) {
    std::optional<Role> parsed = ParseRole(RoleName(role));
    ASSERT_TRUE(parsed.has_value()) << RoleName(role);
    EXPECT_EQ(*parsed, role);
  }
  EXPECT_EQ(RoleName(Role::kHubLead), "hub_lead");
  EXPECT_EQ(RoleName(Role::kOrganiser), "organiser");
  EXPECT_FALSE(ParseRole("admin").has_value());
  EXPECT_FALSE(ParseRole("Organiser").has_value());
  EXPECT_FALSE(ParseRole("").has_value());
}

TEST(IdentityTest, HubRightsAreScopedToLedHubs) {
  Identity lead = WithRoles({Role::kHubLead}, {"hub-a"});
  EXPECT_TRUE(IsHubLeadOf(lead, "hub-a"));
  EXPECT_FALSE(IsHubLeadOf(lead, "hub-b"));
  EXPECT_TRUE(CanManageHub(lead, "hub-a"));
  EXPECT_FALSE(CanManageHub(lead, "hub-b"));

  Identity organiser = WithRoles({Role::kOrganiser});
  EXPECT_FALSE(IsHubLeadOf(organiser, "hub-b"));
  EXPECT_TRUE(CanManageHub(organiser, "hub-b"));

  // A hubs claim without the hub_lead role grants nothing.
  Identity expert = WithRoles({Role::kExpert}, {"hub-a"});
  EXPECT_FALSE(IsHubLeadOf(expert, "hub-a"));
  EXPECT_FALSE(CanManageHub(expert, "hub-a"));

  Identity anonymous = Identity::Anonymous();
  anonymous.roles = {Role::kOrganiser};  // never trusted without a token
  EXPECT_FALSE(HasRole(anonymous, Role::kOrganiser));
  EXPECT_FALSE(CanManageHub(anonymous, "hub-a"));
}

TEST(RequireRoleTest, AcceptsAnyListedRole) {
  EXPECT_TRUE(RequireRole(WithRoles({Role::kReviewer}), {Role::kOrganiser, Role::kReviewer}).ok());
  EXPECT_TRUE(RequireRole(WithRoles({Role::kService, Role::kExpert}), {Role::kService}).ok());
}

TEST(RequireRoleTest, MissingRoleIsPermissionDeniedWithReason) {
  absl::Status s = RequireRole(WithRoles({Role::kParticipant}), {Role::kOrganiser, Role::kHubLead});
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(s.message()), HasSubstr("organiser,hub_lead"));
  std::optional<ErrorInfo> info = GetErrorInfo(s);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason, "MISSING_ROLE");
  EXPECT_EQ(info->metadata["required_roles"], "organiser,hub_lead");

  EXPECT_EQ(RequireRole(WithRoles({}), {Role::kParticipant}).code(), absl::StatusCode::kPermissionDenied);
}

TEST(RequireRoleTest, AnonymousIsUnauthenticated) {
  absl::Status s = RequireRole(Identity::Anonymous(), {Role::kParticipant});
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  ASSERT_TRUE(GetErrorInfo(s).has_value());
  EXPECT_EQ(GetErrorInfo(s)->reason, "UNAUTHENTICATED");
  EXPECT_EQ(RequireAuthenticated(Identity::Anonymous()).code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(RequireAuthenticated(WithRoles({})).ok());
}

TEST(RequireCanManageHubTest, ExplainsRefusal) {
  EXPECT_TRUE(RequireCanManageHub(WithRoles({Role::kHubLead}, {"hub-a"}), "hub-a").ok());
  absl::Status s = RequireCanManageHub(WithRoles({Role::kHubLead}, {"hub-a"}), "hub-b");
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(GetErrorInfo(s).has_value());
  EXPECT_EQ(GetErrorInfo(s)->reason, "NOT_HUB_LEAD");
  EXPECT_EQ(GetErrorInfo(s)->metadata["hub_id"], "hub-b");
  EXPECT_EQ(RequireCanManageHub(Identity::Anonymous(), "hub-a").code(), absl::StatusCode::kUnauthenticated);
}

TEST(IdentityFromClaimsTest, ReadsAllClaims) {
  absl::StatusOr<Identity> id = IdentityFromClaims(Claims(
      R"({"sub":"u-7","name":"Иван","email":"ivan@example.org","roles":["hub_lead","expert"],"hubs":["h1","h2"]})"));
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->subject, "u-7");
  EXPECT_EQ(id->name, "Иван");
  EXPECT_EQ(id->email, "ivan@example.org");
  EXPECT_THAT(id->roles, ElementsAre(Role::kHubLead, Role::kExpert));
  EXPECT_THAT(id->hub_ids, ElementsAre("h1", "h2"));
  EXPECT_FALSE(id->anonymous);
}

TEST(IdentityFromClaimsTest, IgnoresRolesOfOtherApplications) {
  absl::StatusOr<Identity> id =
      IdentityFromClaims(Claims(R"({"sub":"u","roles":["offline_access","organiser","uma_authorization"]})"));
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_THAT(id->roles, ElementsAre(Role::kOrganiser));
}

TEST(IdentityFromClaimsTest, RefusesMissingSubjectAndWrongTypes) {
  for (const char* json : {R"({"name":"x"})", R"({"sub":""})", R"({"sub":42})", R"({"sub":"u","roles":"organiser"})",
                           R"({"sub":"u","roles":[1]})", R"({"sub":"u","hubs":{"a":1}})", R"({"sub":"u","email":true})"}) {
    absl::StatusOr<Identity> id = IdentityFromClaims(Claims(json));
    EXPECT_EQ(id.status().code(), absl::StatusCode::kUnauthenticated) << json;
  }
}

}  // namespace
}  // namespace etnik::auth
