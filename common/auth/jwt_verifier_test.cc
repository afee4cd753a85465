#include "common/auth/jwt_verifier.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/auth/base64url.h"
#include "common/auth/identity.h"
#include "common/auth/test_keys.h"
#include "common/clock/clock.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace etnik::auth {
namespace {

using testkeys::BuildToken;
using testkeys::Hs256Signer;
using testkeys::KeyPairA;
using testkeys::KeyPairB;
using testkeys::kOtherSecret;
using testkeys::kSecret;
using testkeys::Payload;
using testkeys::Rs256Signer;

constexpr char kHs256Header[] = R"({"alg":"HS256","typ":"JWT"})";
constexpr char kRs256Header[] = R"({"alg":"RS256","typ":"JWT","kid":"k1"})";

class JwtVerifierTest : public ::testing::Test {
 protected:
  JwtVerifier Hs256(absl::Duration leeway = absl::Seconds(30)) {
    JwtConfig config;
    config.algorithm = JwtAlgorithm::kHs256;
    config.hs256_secret = kSecret;
    config.leeway = leeway;
    absl::StatusOr<JwtVerifier> v = JwtVerifier::Create(config, clock_);
    EXPECT_TRUE(v.ok()) << v.status();
    return *std::move(v);
  }
  JwtVerifier Rs256(const std::string& pem = KeyPairA().public_pem) {
    JwtConfig config;
    config.algorithm = JwtAlgorithm::kRs256;
    config.rs256_public_key_pem = pem;
    config.issuer = "https://sso.example.org/realms/etnik";
    config.audience = "etnik-api";
    absl::StatusOr<JwtVerifier> v = JwtVerifier::Create(config, clock_);
    EXPECT_TRUE(v.ok()) << v.status();
    return *std::move(v);
  }
  std::string RsPayload(absl::string_view extra = "") {
    return Payload(clock_.Now(), "https://sso.example.org/realms/etnik", R"("etnik-api")", absl::Hours(1), extra);
  }
  std::string HsToken(absl::string_view payload) { return BuildToken(kHs256Header, payload, Hs256Signer(kSecret)); }

  // Refused with UNAUTHENTICATED and the given ErrorInfo reason.
  static void ExpectRefused(const JwtVerifier& v, const std::string& token, absl::string_view reason = "INVALID_TOKEN") {
    absl::StatusOr<google::protobuf::Struct> claims = v.Verify(token);
    ASSERT_FALSE(claims.ok()) << "accepted: " << token;
    EXPECT_EQ(claims.status().code(), absl::StatusCode::kUnauthenticated) << claims.status();
    std::optional<ErrorInfo> info = GetErrorInfo(claims.status());
    ASSERT_TRUE(info.has_value()) << claims.status();
    EXPECT_EQ(info->reason, reason) << claims.status();
  }

  FakeClock clock_;
};

TEST_F(JwtVerifierTest, AcceptsValidHs256TokenAndExtractsIdentity) {
  absl::StatusOr<google::protobuf::Struct> claims = Hs256().Verify(HsToken(Payload(clock_.Now())));
  ASSERT_TRUE(claims.ok()) << claims.status();
  absl::StatusOr<Identity> id = IdentityFromClaims(*claims);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->subject, "user-1");
  EXPECT_EQ(id->name, "Анна");
  EXPECT_TRUE(IsHubLeadOf(*id, "hub-a"));
  EXPECT_FALSE(id->anonymous);
}

TEST_F(JwtVerifierTest, AcceptsValidRs256Token) {
  std::string token = BuildToken(kRs256Header, RsPayload(), Rs256Signer(KeyPairA()));
  absl::StatusOr<google::protobuf::Struct> claims = Rs256().Verify(token);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->fields().at("sub").string_value(), "user-1");
}

TEST_F(JwtVerifierTest, AcceptsKeycloakStyleBareBase64Key) {
  // The body of the PEM without its BEGIN/END lines, as an identity provider's console shows it.
  std::string pem = KeyPairA().public_pem;
  std::vector<std::string> lines = absl::StrSplit(pem, '\n', absl::SkipEmpty());
  std::string bare;
  for (size_t i = 1; i + 1 < lines.size(); ++i) bare += lines[i];
  std::string token = BuildToken(kRs256Header, RsPayload(), Rs256Signer(KeyPairA()));
  EXPECT_TRUE(Rs256(bare).Verify(token).ok());
}

TEST_F(JwtVerifierTest, RefusesExpiredToken) {
  ExpectRefused(Hs256(), HsToken(Payload(clock_.Now() - absl::Hours(2))), "TOKEN_EXPIRED");
}

TEST_F(JwtVerifierTest, RefusesTokenWithoutExpiry) {
  ExpectRefused(Hs256(), HsToken(R"({"sub":"u","iss":"etnik","aud":"etnik"})"));
  ExpectRefused(Hs256(), HsToken(R"({"sub":"u","iss":"etnik","aud":"etnik","exp":"2030-01-01"})"));
}

TEST_F(JwtVerifierTest, ExtremeTimesAreHandledWithoutOverflow) {
  const std::string claims = R"("sub":"u","iss":"etnik","aud":"etnik")";
  ExpectRefused(Hs256(), HsToken(absl::StrCat("{", claims, R"(,"exp":-1e300})")), "TOKEN_EXPIRED");
  ExpectRefused(Hs256(), HsToken(absl::StrCat("{", claims, R"(,"exp":1e999})")));
  ExpectRefused(Hs256(), HsToken(absl::StrCat("{", claims, R"(,"exp":1e300,"nbf":1e300})")));
  EXPECT_TRUE(Hs256().Verify(HsToken(absl::StrCat("{", claims, R"(,"exp":1e300,"nbf":-1e300})"))).ok());
}

TEST_F(JwtVerifierTest, RefusesNotYetValidToken) {
  std::string nbf = absl::StrCat(R"(,"nbf":)", absl::ToUnixSeconds(clock_.Now() + absl::Minutes(10)));
  ExpectRefused(Hs256(), HsToken(Payload(clock_.Now(), "etnik", R"("etnik")", absl::Hours(1), nbf)));
}

TEST_F(JwtVerifierTest, RefusesWrongIssuer) {
  ExpectRefused(Hs256(), HsToken(Payload(clock_.Now(), "someone-else")));
  ExpectRefused(Hs256(), HsToken(Payload(clock_.Now(), "Etnik")));
  ExpectRefused(Rs256(), BuildToken(kRs256Header, Payload(clock_.Now(), "etnik", R"("etnik-api")"),
                                    Rs256Signer(KeyPairA())));
}

TEST_F(JwtVerifierTest, RefusesWrongOrMissingAudience) {
  ExpectRefused(Hs256(), HsToken(Payload(clock_.Now(), "etnik", R"("gateway")")));
  ExpectRefused(Hs256(), HsToken(Payload(clock_.Now(), "etnik", R"(["gateway","account"])")));
  ExpectRefused(Hs256(), HsToken(Payload(clock_.Now(), "etnik", "[]")));
  ExpectRefused(Hs256(), HsToken(Payload(clock_.Now(), "etnik", "null")));
}

TEST_F(JwtVerifierTest, AcceptsAudienceArrayContainingOurs) {
  EXPECT_TRUE(Hs256().Verify(HsToken(Payload(clock_.Now(), "etnik", R"(["account","etnik"])"))).ok());
}

TEST_F(JwtVerifierTest, RefusesHs256TokenSignedWithAnotherSecret) {
  ExpectRefused(Hs256(), BuildToken(kHs256Header, Payload(clock_.Now()), Hs256Signer(kOtherSecret)));
}

TEST_F(JwtVerifierTest, RefusesRs256TokenSignedWithAnotherKeyPair) {
  ExpectRefused(Rs256(), BuildToken(kRs256Header, RsPayload(), Rs256Signer(KeyPairB())));
}

TEST_F(JwtVerifierTest, RefusesTamperedPayload) {
  std::string token = HsToken(Payload(clock_.Now()));
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  std::string forged = absl::StrReplaceAll(Payload(clock_.Now()), {{R"("hub_lead")", R"("organiser")"}});
  ExpectRefused(Hs256(), absl::StrCat(parts[0], ".", Base64UrlEncode(forged), ".", parts[2]));

  std::string rs = BuildToken(kRs256Header, RsPayload(), Rs256Signer(KeyPairA()));
  std::vector<std::string> rs_parts = absl::StrSplit(rs, '.');
  std::string rs_forged = absl::StrReplaceAll(RsPayload(), {{R"("user-1")", R"("user-2")"}});
  ExpectRefused(Rs256(), absl::StrCat(rs_parts[0], ".", Base64UrlEncode(rs_forged), ".", rs_parts[2]));
}

TEST_F(JwtVerifierTest, RefusesAlgNone) {
  std::string payload = Base64UrlEncode(Payload(clock_.Now()));
  for (const char* header : {R"({"alg":"none"})", R"({"alg":"None"})", R"({"alg":"NONE","typ":"JWT"})"}) {
    std::string unsigned_token = absl::StrCat(Base64UrlEncode(header), ".", payload, ".");
    ExpectRefused(Hs256(), unsigned_token);
    ExpectRefused(Rs256(), unsigned_token);
    // Even with a signature part that is a valid HMAC under our secret.
    ExpectRefused(Hs256(), BuildToken(header, Payload(clock_.Now()), Hs256Signer(kSecret)));
  }
  ExpectRefused(Hs256(), BuildToken(R"({"typ":"JWT"})", Payload(clock_.Now()), Hs256Signer(kSecret)));
  ExpectRefused(Hs256(), BuildToken(R"({"alg":["HS256"]})", Payload(clock_.Now()), Hs256Signer(kSecret)));
}

TEST_F(JwtVerifierTest, RefusesAlgSwapFromRs256ToHs256) {
  // The classic attack: sign with HMAC using the verifier's public key PEM as the secret. A
  // verifier that trusted the header's alg would check this HMAC with the same bytes.
  JwtVerifier rs256 = Rs256();
  for (const std::string& secret : {KeyPairA().public_pem, std::string(absl::StripSuffix(KeyPairA().public_pem, "\n"))}) {
    std::string swapped = BuildToken(kHs256Header, RsPayload(), Hs256Signer(secret));
    ExpectRefused(rs256, swapped);
    EXPECT_THAT(std::string(rs256.Verify(swapped).status().message()), ::testing::HasSubstr("expected RS256"));
  }
  // And the other way round: an HS256 verifier refuses an RS256 token, however well signed.
  ExpectRefused(Hs256(), BuildToken(kRs256Header, Payload(clock_.Now()), Rs256Signer(KeyPairA())));
  ExpectRefused(Rs256(), BuildToken(R"({"alg":"RS512"})", RsPayload(), Rs256Signer(KeyPairA())));
}

TEST_F(JwtVerifierTest, RefusesMalformedBase64) {
  std::string token = HsToken(Payload(clock_.Now()));
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ExpectRefused(Hs256(), absl::StrCat(parts[0], "=.", parts[1], ".", parts[2]));
  ExpectRefused(Hs256(), absl::StrCat(parts[0], ".", parts[1], "*.", parts[2]));
  ExpectRefused(Hs256(), absl::StrCat(parts[0], ".", parts[1], ".", parts[2], "=="));
  ExpectRefused(Hs256(), absl::StrCat(parts[0], ".", parts[1], ".", absl::StrReplaceAll(parts[2], {{"-", "+"}, {"_", "/"}}), "+"));
  ExpectRefused(Hs256(), absl::StrCat("e30 ", ".", parts[1], ".", parts[2]));
}

TEST_F(JwtVerifierTest, RefusesMissingOrExtraParts) {
  std::string token = HsToken(Payload(clock_.Now()));
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ExpectRefused(Hs256(), absl::StrCat(".", parts[1], ".", parts[2]));
  ExpectRefused(Hs256(), absl::StrCat(parts[1], ".", parts[2]));
  ExpectRefused(Hs256(), absl::StrCat(parts[0], "..", parts[2]));
  ExpectRefused(Hs256(), absl::StrCat(token, ".", parts[2]));
  ExpectRefused(Hs256(), "");
  ExpectRefused(Hs256(), "not-a-token");
}

TEST_F(JwtVerifierTest, RefusesHeaderThatIsNotAJsonObject) {
  ExpectRefused(Hs256(), BuildToken(R"(["HS256"])", Payload(clock_.Now()), Hs256Signer(kSecret)));
  ExpectRefused(Hs256(), BuildToken(R"({"alg":"HS256")", Payload(clock_.Now()), Hs256Signer(kSecret)));
  ExpectRefused(Hs256(), BuildToken(kHs256Header, "not json", Hs256Signer(kSecret)));
}

TEST_F(JwtVerifierTest, RefusesCriticalHeaderExtensions) {
  ExpectRefused(Hs256(), BuildToken(R"({"alg":"HS256","crit":["exp"],"exp":1})", Payload(clock_.Now()),
                                    Hs256Signer(kSecret)));
}

TEST_F(JwtVerifierTest, RefusesOversizedTokenEvenWhenWellSigned) {
  std::string big = absl::StrCat(R"(,"pad":")", std::string(7000, 'x'), R"(")");
  std::string token = HsToken(Payload(clock_.Now(), "etnik", R"("etnik")", absl::Hours(1), big));
  ASSERT_GT(token.size(), kDefaultMaxTokenBytes);
  ExpectRefused(Hs256(), token);

  std::string fits = absl::StrCat(R"(,"pad":")", std::string(5000, 'x'), R"(")");
  EXPECT_TRUE(Hs256().Verify(HsToken(Payload(clock_.Now(), "etnik", R"("etnik")", absl::Hours(1), fits))).ok());
}

TEST_F(JwtVerifierTest, LeewayBoundaryOnExpiry) {
  const absl::Time issued = clock_.Now();
  std::string token = HsToken(Payload(issued, "etnik", R"("etnik")", absl::Hours(1)));
  JwtVerifier v = Hs256(absl::Seconds(30));
  clock_.Set(issued + absl::Hours(1) + absl::Seconds(29));
  EXPECT_TRUE(v.Verify(token).ok());
  clock_.Set(issued + absl::Hours(1) + absl::Seconds(30));
  ExpectRefused(v, token, "TOKEN_EXPIRED");

  JwtVerifier strict = Hs256(absl::ZeroDuration());
  clock_.Set(issued + absl::Hours(1) - absl::Seconds(1));
  EXPECT_TRUE(strict.Verify(token).ok());
  clock_.Set(issued + absl::Hours(1));
  ExpectRefused(strict, token, "TOKEN_EXPIRED");
}

TEST_F(JwtVerifierTest, LeewayBoundaryOnNotBefore) {
  const absl::Time nbf = clock_.Now();
  std::string token =
      HsToken(Payload(nbf, "etnik", R"("etnik")", absl::Hours(1), absl::StrCat(R"(,"nbf":)", absl::ToUnixSeconds(nbf))));
  JwtVerifier v = Hs256(absl::Seconds(30));
  clock_.Set(nbf - absl::Seconds(30));
  EXPECT_TRUE(v.Verify(token).ok());
  clock_.Set(nbf - absl::Seconds(31));
  ExpectRefused(v, token);
}

TEST_F(JwtVerifierTest, CreateRefusesWeakOrMissingConfiguration) {
  JwtConfig short_secret;
  short_secret.hs256_secret = "too-short";
  EXPECT_EQ(JwtVerifier::Create(short_secret, clock_).status().code(), absl::StatusCode::kInvalidArgument);

  JwtConfig no_issuer;
  no_issuer.hs256_secret = kSecret;
  no_issuer.issuer = "";
  EXPECT_FALSE(JwtVerifier::Create(no_issuer, clock_).ok());

  JwtConfig no_audience;
  no_audience.hs256_secret = kSecret;
  no_audience.audience = "";
  EXPECT_FALSE(JwtVerifier::Create(no_audience, clock_).ok());

  JwtConfig bad_pem;
  bad_pem.algorithm = JwtAlgorithm::kRs256;
  bad_pem.rs256_public_key_pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
  EXPECT_EQ(JwtVerifier::Create(bad_pem, clock_).status().code(), absl::StatusCode::kInvalidArgument);

  JwtConfig weak_rsa;
  weak_rsa.algorithm = JwtAlgorithm::kRs256;
  weak_rsa.rs256_public_key_pem = testkeys::GenerateRsaKeyPair(1024).public_pem;
  EXPECT_EQ(JwtVerifier::Create(weak_rsa, clock_).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(JwtVerifierTest, ErrorsNeverContainTheTokenOrTheKey) {
  const absl::Time now = clock_.Now();
  std::string expired = HsToken(Payload(now - absl::Hours(3)));
  std::string other_key = BuildToken(kHs256Header, Payload(now), Hs256Signer(kOtherSecret));
  std::string wrong_iss = HsToken(Payload(now, "evil-issuer-name"));
  std::string swapped = BuildToken(kHs256Header, RsPayload(), Hs256Signer(KeyPairA().public_pem));
  std::vector<std::pair<const JwtVerifier*, std::string>> cases;
  JwtVerifier hs = Hs256();
  JwtVerifier rs = Rs256();
  for (const std::string& t : {expired, other_key, wrong_iss, std::string("garbage.") + other_key}) {
    cases.emplace_back(&hs, t);
  }
  cases.emplace_back(&rs, swapped);
  std::string pem_body = std::vector<std::string>(absl::StrSplit(KeyPairA().public_pem, '\n'))[1];
  for (const auto& [verifier, token] : cases) {
    absl::Status s = verifier->Verify(token).status();
    ASSERT_FALSE(s.ok());
    std::string everything = s.ToString(absl::StatusToStringMode::kWithEverything);
    EXPECT_EQ(everything.find(token), std::string::npos) << everything;
    for (absl::string_view part : absl::StrSplit(token, '.')) {
      if (part.size() >= 8) {
        EXPECT_EQ(everything.find(std::string(part)), std::string::npos) << everything;
      }
    }
    EXPECT_EQ(everything.find(kSecret), std::string::npos) << everything;
    EXPECT_EQ(everything.find(kOtherSecret), std::string::npos) << everything;
    EXPECT_EQ(everything.find(pem_body), std::string::npos) << everything;
    EXPECT_EQ(everything.find("evil-issuer-name"), std::string::npos) << everything;
  }
}

}  // namespace
}  // namespace etnik::auth
