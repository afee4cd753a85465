#include "common/auth/authenticator.h"

#include <future>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/auth/client_token.h"
#include "common/auth/test_keys.h"
#include "common/auth/token_minter.h"
#include "common/clock/clock.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace etnik::auth {
namespace {

using ::testing::HasSubstr;
using testkeys::kOtherSecret;
using testkeys::kSecret;

using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

Authenticator MakeAuthenticator(const Clock& clock) {
  JwtConfig config;
  config.hs256_secret = kSecret;
  return *Authenticator::Create(config, clock);
}

std::string Mint(const Clock& clock, std::set<Role> roles, absl::string_view secret = kSecret,
                 absl::Duration ttl = absl::Hours(1)) {
  TokenClaims claims;
  claims.subject = "lead-1";
  claims.roles = std::move(roles);
  claims.hub_ids = {"hub-a"};
  claims.issued_at = clock.Now();
  claims.ttl = ttl;
  return *MintHs256Token(secret, claims);
}

std::string Reason(const absl::Status& s) {
  std::optional<ErrorInfo> info = GetErrorInfo(s);
  return info ? info->reason : "";
}

TEST(ParseBearerHeaderTest, AcceptsBearerSchemeInAnyCase) {
  EXPECT_EQ(*ParseBearerHeader("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(*ParseBearerHeader("bearer abc"), "abc");
  EXPECT_EQ(*ParseBearerHeader("BEARER  abc "), "abc");
}

TEST(ParseBearerHeaderTest, RefusesOtherForms) {
  for (const char* header : {"", "Bearer", "Bearer ", "Bearer   ", "Basic dXNlcjpwYXNz", "Bearerabc", "abc.def.ghi",
                             "Bearer a b", "Bearer\tabc"}) {
    absl::StatusOr<absl::string_view> token = ParseBearerHeader(header);
    EXPECT_EQ(token.status().code(), absl::StatusCode::kUnauthenticated) << header;
  }
}

TEST(AuthenticateMetadataTest, NoHeaderIsAnonymous) {
  FakeClock clock;
  Metadata metadata;
  metadata.emplace("x-request-id", "r-1");
  absl::StatusOr<Identity> id = MakeAuthenticator(clock).AuthenticateMetadata(metadata);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_TRUE(id->anonymous);
  EXPECT_TRUE(id->roles.empty());
}

TEST(AuthenticateMetadataTest, ValidTokenGivesIdentity) {
  FakeClock clock;
  std::string header = "Bearer " + Mint(clock, {Role::kHubLead});
  Metadata metadata;
  metadata.emplace("authorization", header);
  absl::StatusOr<Identity> id = MakeAuthenticator(clock).AuthenticateMetadata(metadata);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->subject, "lead-1");
  EXPECT_TRUE(IsHubLeadOf(*id, "hub-a"));
}

TEST(AuthenticateMetadataTest, RefusesDuplicateOrMalformedHeaders) {
  FakeClock clock;
  Authenticator auth = MakeAuthenticator(clock);
  std::string header = "Bearer " + Mint(clock, {Role::kOrganiser});
  Metadata two;
  two.emplace("authorization", header);
  two.emplace("authorization", header);
  EXPECT_EQ(auth.AuthenticateMetadata(two).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.AuthenticateHeader("Basic dXNlcjpwYXNz").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.AuthenticateHeader("").status().code(), absl::StatusCode::kUnauthenticated);
  absl::Status bad = auth.AuthenticateHeader("Bearer " + Mint(clock, {Role::kOrganiser}, kOtherSecret)).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Reason(bad), "INVALID_TOKEN");
}

// A real server on port 0 whose every method answers with the caller's identity, so
// Authenticate() is exercised on a grpc::ServerContext filled in by gRPC itself.
class WhoAmIService final : public grpc::CallbackGenericService {
 public:
  explicit WhoAmIService(const Authenticator& auth) : auth_(auth) {}

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    return new Reactor(auth_.Authenticate(*ctx));
  }

 private:
  class Reactor final : public grpc::ServerGenericBidiReactor {
   public:
    explicit Reactor(absl::StatusOr<Identity> identity) : identity_(std::move(identity)) { StartRead(&request_); }
    void OnReadDone(bool ok) override {
      if (!identity_.ok()) return Finish(ToGrpcStatus(identity_.status()));
      std::vector<std::string> roles;
      for (Role r : identity_->roles) roles.emplace_back(RoleName(r));
      std::string answer =
          identity_->anonymous ? "anonymous" : absl::StrCat(identity_->subject, ":", absl::StrJoin(roles, ","));
      grpc::Slice slice(answer);
      response_ = grpc::ByteBuffer(&slice, 1);
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    }
    void OnDone() override { delete this; }

   private:
    absl::StatusOr<Identity> identity_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
  };

  const Authenticator& auth_;
};

class AuthenticatorServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  }

  // Calls the server with `token` attached (none when empty); returns its answer or its status.
  absl::StatusOr<std::string> Call(absl::string_view token) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    AttachBearerToken(ctx, token);
    grpc::Slice slice(std::string("ping"));
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&ctx, "/etnik.test.WhoAmI/Get", grpc::StubOptions(), &request, &response,
                   [&done](grpc::Status s) { done.set_value(std::move(s)); });
    grpc::Status status = done.get_future().get();
    if (!status.ok()) return FromGrpcStatus(status);
    std::vector<grpc::Slice> slices;
    if (!response.Dump(&slices).ok()) return absl::InternalError("cannot read response");
    std::string out;
    for (const grpc::Slice& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
    return out;
  }

  FakeClock clock_;
  Authenticator auth_ = MakeAuthenticator(clock_);
  WhoAmIService service_{auth_};
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(AuthenticatorServerTest, CallerIdentityReachesTheHandler) {
  absl::StatusOr<std::string> answer = Call(Mint(clock_, {Role::kHubLead, Role::kExpert}));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, "lead-1:hub_lead,expert");
}

TEST_F(AuthenticatorServerTest, CallWithoutTokenIsAnonymous) {
  absl::StatusOr<std::string> answer = Call("");
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, "anonymous");
}

TEST_F(AuthenticatorServerTest, BadTokensAreUnauthenticatedWithReason) {
  absl::StatusOr<std::string> wrong_key = Call(Mint(clock_, {Role::kOrganiser}, kOtherSecret));
  EXPECT_EQ(wrong_key.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Reason(wrong_key.status()), "INVALID_TOKEN");

  std::string token = Mint(clock_, {Role::kOrganiser}, kSecret, absl::Minutes(5));
  clock_.Advance(absl::Minutes(6));
  absl::StatusOr<std::string> expired = Call(token);
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Reason(expired.status()), "TOKEN_EXPIRED");
  EXPECT_THAT(std::string(expired.status().message()), HasSubstr("expired"));
  EXPECT_EQ(std::string(expired.status().message()).find(token), std::string::npos);

  absl::StatusOr<std::string> garbage = Call("not-a-jwt");
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace etnik::auth
