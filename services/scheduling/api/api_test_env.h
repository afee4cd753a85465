#ifndef ETNIK_SERVICES_SCHEDULING_API_API_TEST_ENV_H_
#define ETNIK_SERVICES_SCHEDULING_API_API_TEST_ENV_H_

// An in-process scheduling server for tests: real SQLite (or PostgreSQL), a private Redis,
// HS256 tokens minted on a fake clock, and a gRPC stub talking to it over loopback.

#include <memory>
#include <set>
#include <string>

#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/auth/token_minter.h"
#include "common/clock/clock.h"
#include "common/redis/cache.h"
#include "common/redis/redis_pool.h"
#include "common/server/server_runner.h"
#include "common/status/grpc_status.h"
#include "common/testing/redis_server.h"
#include "etnik/scheduling/v1/scheduling_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "services/scheduling/api/scheduling_api.h"
#include "services/scheduling/store/sql_store.h"
#include "services/scheduling/store/store_test_env.h"

namespace etnik::scheduling::testing {

namespace pb = etnik::scheduling::v1;

inline constexpr char kSecret[] = "scheduling-test-secret-of-at-least-32-bytes";

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_.Create();
    if (HasFatalFailure()) return;
    db_ = database_.Open(clock_, 8);
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(store::SqlSchedulingStore::Migrate(*db_).ok());
    store_ = std::make_unique<store::SqlSchedulingStore>(*db_, clock_);
    SchedulerOptions options;
    options.policy.expert_buffer = absl::Minutes(15);
    scheduler_ = std::make_unique<Scheduler>(*store_, clock_, options);
    auto redis = etnik::test::RedisServer::Launch();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = std::move(*redis);
    redis::RedisOptions ro;
    ro.port = redis_->port();
    pool_ = std::make_unique<redis::RedisPool>(ro, SystemClock::Get(), registry_);
    cache_ = std::make_unique<redis::Cache>(*pool_, redis::CacheOptions{"scheduling", "schedule"},
                                            registry_);
    auth::JwtConfig jwt;
    jwt.hs256_secret = kSecret;
    auto authenticator = auth::Authenticator::Create(jwt, clock_);
    ASSERT_TRUE(authenticator.ok()) << authenticator.status();
    authenticator_ = std::make_unique<auth::Authenticator>(*std::move(authenticator));
    api_ = std::make_unique<SchedulingApi>(*scheduler_, *authenticator_, cache_.get(), &registry_);
    server::ServerOptions so;
    so.name = "scheduling";
    so.metrics_address = "";
    so.shutdown_grace = absl::Seconds(1);
    runner_ = std::make_unique<server::ServerRunner>(so);
    runner_->AddService(api_.get(), pb::SchedulingService::service_full_name());
    ASSERT_TRUE(runner_->Start().ok());
    stub_ = pb::SchedulingService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", runner_->grpc_port()), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (runner_) runner_->Shutdown();
    runner_.reset();
    api_.reset();
    cache_.reset();
    pool_.reset();
    scheduler_.reset();
    store_.reset();
    db_.reset();
  }

  std::string Token(const std::string& subject, std::set<auth::Role> roles,
                    std::set<std::string> hubs = {}) {
    auth::TokenClaims claims;
    claims.subject = subject;
    claims.roles = std::move(roles);
    claims.hub_ids = std::move(hubs);
    claims.issued_at = clock_.Now();
    claims.ttl = absl::Hours(24 * 3650);
    absl::StatusOr<std::string> token = auth::MintHs256Token(kSecret, claims);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }
  std::string OrganiserToken() { return Token("org-1", {auth::Role::kOrganiser}); }
  std::string LeadToken(const std::string& hub) {
    return Token("lead-" + hub, {auth::Role::kHubLead}, {hub});
  }
  std::string ParticipantToken(const std::string& who) {
    return Token(who, {auth::Role::kParticipant});
  }

  // A client context with a deadline and, unless empty, a bearer token.
  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token = "") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
    return ctx;
  }

  // The read models a booking needs: stages (practice has the target of 20) and experts.
  void SeedReadModels(const std::vector<ExpertProfile>& experts) {
    StageWindow training;
    training.stage = kTraining;
    training.programme = kProgramme;
    training.kind = 2;
    training.title.ru = "Обучение";
    training.window = {Msk(2021, 3, 15, 0), Msk(2021, 6, 1, 0)};
    training.time_zone = "Europe/Moscow";
    ASSERT_TRUE(scheduler_->ApplyStage(training).ok());
    StageWindow practice = training;
    practice.stage = kPractice;
    practice.kind = 3;
    practice.title.ru = "Практика";
    practice.window = {Msk(2021, 6, 1, 0), Msk(2021, 11, 15, 0)};
    practice.targets = {{4, 20}, {5, 20}, {6, 100}};
    ASSERT_TRUE(scheduler_->ApplyStage(practice).ok());
    StageWindow final_stage = training;
    final_stage.stage = "programmes/etnik-2021/stages/final";
    final_stage.kind = 4;
    final_stage.title.ru = "Итоги";
    final_stage.window = {Msk(2021, 11, 15, 0), Msk(2021, 12, 31, 0)};
    ASSERT_TRUE(scheduler_->ApplyStage(final_stage).ok());
    for (const ExpertProfile& e : experts) ASSERT_TRUE(scheduler_->ApplyExpert(e).ok());
  }

  static void SetTs(google::protobuf::Timestamp* ts, absl::Time t) {
    ts->set_seconds(absl::ToUnixSeconds(t));
    ts->set_nanos(0);
  }
  static absl::Time FromTs(const google::protobuf::Timestamp& ts) {
    return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  }

  FakeClock clock_{Msk(2021, 4, 20, 9)};
  EngineDatabase database_{db::Engine::kSqlite};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<store::SqlSchedulingStore> store_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<etnik::test::RedisServer> redis_;
  prometheus::Registry registry_;
  std::unique_ptr<redis::RedisPool> pool_;
  std::unique_ptr<redis::Cache> cache_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<SchedulingApi> api_;
  std::unique_ptr<server::ServerRunner> runner_;
  std::unique_ptr<pb::SchedulingService::Stub> stub_;
};

}  // namespace etnik::scheduling::testing

#endif  // ETNIK_SERVICES_SCHEDULING_API_API_TEST_ENV_H_
