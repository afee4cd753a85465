#include "common/auth/token_minter.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/auth/base64url.h"
#include "common/auth/jwt_verifier.h"
#include "common/auth/test_keys.h"
#include "common/clock/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace etnik::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testkeys::kOtherSecret;
using testkeys::kSecret;

TokenClaims LeadClaims(absl::Time now) {
  TokenClaims claims;
  claims.subject = "lead-42";
  claims.name = "Мария Петрова";
  claims.email = "maria@example.org";
  claims.roles = {Role::kHubLead, Role::kExpert};
  claims.hub_ids = {"hub-crafts", "hub-media"};
  claims.issued_at = now;
  claims.ttl = absl::Hours(8);
  return claims;
}

JwtVerifier Verifier(const Clock& clock, const std::string& secret = kSecret) {
  JwtConfig config;
  config.hs256_secret = secret;
  config.leeway = absl::ZeroDuration();
  return *JwtVerifier::Create(config, clock);
}

TEST(MintHs256TokenTest, RoundTripsThroughTheVerifier) {
  FakeClock clock;
  absl::StatusOr<std::string> token = MintHs256Token(kSecret, LeadClaims(clock.Now()));
  ASSERT_TRUE(token.ok()) << token.status();
  absl::StatusOr<google::protobuf::Struct> claims = Verifier(clock).Verify(*token);
  ASSERT_TRUE(claims.ok()) << claims.status();
  absl::StatusOr<Identity> id = IdentityFromClaims(*claims);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->subject, "lead-42");
  EXPECT_EQ(id->name, "Мария Петрова");
  EXPECT_EQ(id->email, "maria@example.org");
  EXPECT_THAT(id->roles, ElementsAre(Role::kHubLead, Role::kExpert));
  EXPECT_THAT(id->hub_ids, ElementsAre("hub-crafts", "hub-media"));
  EXPECT_TRUE(CanManageHub(*id, "hub-media"));
  EXPECT_FALSE(CanManageHub(*id, "hub-migrants"));
}

TEST(MintHs256TokenTest, WritesStandardClaimsAsWholeSeconds) {
  FakeClock clock;
  absl::StatusOr<std::string> token = MintHs256Token(kSecret, LeadClaims(clock.Now()));
  ASSERT_TRUE(token.ok());
  std::vector<std::string> parts = absl::StrSplit(*token, '.');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(*Base64UrlDecode(parts[0]), R"({"alg":"HS256","typ":"JWT"})");
  std::string payload = *Base64UrlDecode(parts[1]);
  const int64_t now = absl::ToUnixSeconds(clock.Now());
  EXPECT_THAT(payload, HasSubstr("\"iat\":" + std::to_string(now)));
  EXPECT_THAT(payload, HasSubstr("\"nbf\":" + std::to_string(now)));
  EXPECT_THAT(payload, HasSubstr("\"exp\":" + std::to_string(now + 8 * 3600)));
  EXPECT_THAT(payload, HasSubstr(R"("iss":"etnik")"));
  EXPECT_THAT(payload, HasSubstr(R"("aud":"etnik")"));
}

TEST(MintHs256TokenTest, ExpiresAfterItsTtl) {
  FakeClock clock;
  std::string token = *MintHs256Token(kSecret, LeadClaims(clock.Now()));
  JwtVerifier verifier = Verifier(clock);
  clock.Advance(absl::Hours(8) - absl::Seconds(1));
  EXPECT_TRUE(verifier.Verify(token).ok());
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(verifier.Verify(token).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(MintHs256TokenTest, OnlyTheSameSecretVerifies) {
  FakeClock clock;
  std::string token = *MintHs256Token(kSecret, LeadClaims(clock.Now()));
  EXPECT_EQ(Verifier(clock, kOtherSecret).Verify(token).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(MintHs256TokenTest, RefusesBadInput) {
  FakeClock clock;
  TokenClaims claims = LeadClaims(clock.Now());
  EXPECT_EQ(MintHs256Token("short", claims).status().code(), absl::StatusCode::kInvalidArgument);
  TokenClaims no_subject = claims;
  no_subject.subject.clear();
  EXPECT_EQ(MintHs256Token(kSecret, no_subject).status().code(), absl::StatusCode::kInvalidArgument);
  TokenClaims no_ttl = claims;
  no_ttl.ttl = absl::ZeroDuration();
  EXPECT_EQ(MintHs256Token(kSecret, no_ttl).status().code(), absl::StatusCode::kInvalidArgument);
  TokenClaims no_issuer = claims;
  no_issuer.issuer.clear();
  EXPECT_EQ(MintHs256Token(kSecret, no_issuer).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace etnik::auth
