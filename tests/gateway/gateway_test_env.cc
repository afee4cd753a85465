#include "tests/gateway/gateway_test_env.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/auth/token_minter.h"
#include "common/db/database.h"
#include "common/db/migrations.h"
#include "common/redis/cache.h"
#include "common/redis/redis_options.h"
#include "common/redis/redis_pool.h"
#include "common/server/server_runner.h"
#include "common/testing/redis_server.h"
#include "common/testing/sqlite_temp_database.h"
#include "etnik/hubs/v1/hubs_service.grpc.pb.h"
#include "etnik/scheduling/v1/scheduling_service.grpc.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/gateway/clients/backends.h"
#include "services/gateway/http/http_server.h"
#include "services/gateway/http/rate_limiter.h"
#include "services/hubs/api/hubs_api.h"
#include "services/hubs/cache/redis_catalogue_cache.h"
#include "services/hubs/domain/hubs_use_cases.h"
#include "services/hubs/store/outbox_events.h"
#include "services/hubs/store/schema.h"
#include "services/hubs/store/sql_hubs_store.h"
#include "services/scheduling/api/scheduling_api.h"
#include "services/scheduling/domain/scheduler.h"
#include "services/scheduling/store/sql_store.h"
#include "tests/gateway/more_backends.h"

namespace etnik::gateway::testing {

namespace {
test::RedisServer* g_redis = nullptr;
}

struct GatewayTest::Impl {
  prometheus::Registry registry;
  std::unique_ptr<auth::Authenticator> authenticator;
  std::unique_ptr<redis::RedisPool> pool;
  // hubs
  std::unique_ptr<test::TempSqliteDatabase> hubs_file;
  std::unique_ptr<db::Database> hubs_db;
  hubs::store::OutboxEventWriter hubs_outbox;
  std::unique_ptr<hubs::store::SqlHubsStore> hubs_store;
  std::unique_ptr<hubs::RedisCatalogueCache> hubs_cache;
  std::unique_ptr<hubs::HubsUseCases> hubs_use_cases;
  std::unique_ptr<hubs::HubsApi> hubs_api;
  std::unique_ptr<server::ServerRunner> hubs_runner;
  // scheduling
  std::unique_ptr<test::TempSqliteDatabase> sched_file;
  std::unique_ptr<db::Database> sched_db;
  std::unique_ptr<scheduling::store::SqlSchedulingStore> sched_store;
  std::unique_ptr<scheduling::Scheduler> scheduler;
  std::unique_ptr<redis::Cache> sched_cache;
  std::unique_ptr<scheduling::SchedulingApi> sched_api;
  std::unique_ptr<server::ServerRunner> sched_runner;
  RegistrationBackend registration;
  NotificationsBackend notifications;
  // gateway
  std::map<std::string, std::string> targets;
  std::unique_ptr<Backends> backends;
  std::unique_ptr<prometheus::Registry> gateway_registry;
  std::unique_ptr<RateLimiter> limiter;
  std::unique_ptr<HttpServer> http;
};

GatewayTest::GatewayTest() = default;
GatewayTest::~GatewayTest() = default;

test::RedisServer& GatewayTest::Redis() { return *g_redis; }

void GatewayTest::SetUpTestSuite() {
  absl::StatusOr<std::unique_ptr<test::RedisServer>> redis = test::RedisServer::Launch();
  ASSERT_TRUE(redis.ok()) << redis.status();
  g_redis = redis->release();
}

void GatewayTest::TearDownTestSuite() {
  delete g_redis;
  g_redis = nullptr;
}

void GatewayTest::SetUp() {
  ASSERT_NE(g_redis, nullptr);
  ASSERT_TRUE(g_redis->Execute({"FLUSHALL"}).ok());
  impl_ = std::make_unique<Impl>();
  Impl& m = *impl_;
  auth::JwtConfig jwt;
  jwt.hs256_secret = kSecret;
  absl::StatusOr<auth::Authenticator> authenticator = auth::Authenticator::Create(jwt, clock_);
  ASSERT_TRUE(authenticator.ok()) << authenticator.status();
  m.authenticator = std::make_unique<auth::Authenticator>(*std::move(authenticator));
  absl::StatusOr<redis::RedisOptions> redis_options = redis::ParseRedisUrl(g_redis->url());
  ASSERT_TRUE(redis_options.ok());
  m.pool = std::make_unique<redis::RedisPool>(*redis_options, clock_, m.registry);

  db::DatabaseOptions db_options;
  db_options.clock = &clock_;
  // hubs
  auto hubs_file = test::TempSqliteDatabase::Create();
  ASSERT_TRUE(hubs_file.ok());
  m.hubs_file = *std::move(hubs_file);
  auto hubs_db = db::Database::Open(m.hubs_file->url(), db_options);
  ASSERT_TRUE(hubs_db.ok()) << hubs_db.status();
  m.hubs_db = *std::move(hubs_db);
  ASSERT_TRUE(db::ApplyMigrations(*m.hubs_db, hubs::store::HubsMigrations()).ok());
  m.hubs_store = std::make_unique<hubs::store::SqlHubsStore>(*m.hubs_db, m.hubs_outbox, [] {});
  m.hubs_cache = std::make_unique<hubs::RedisCatalogueCache>(*m.pool, m.registry, absl::Minutes(5));
  m.hubs_use_cases = std::make_unique<hubs::HubsUseCases>(*m.hubs_store, *m.hubs_cache, clock_);
  m.hubs_api = std::make_unique<hubs::HubsApi>(*m.authenticator, *m.hubs_use_cases);
  auto hubs_runner = ServeInProcess("hubs", m.hubs_api.get(), etnik::hubs::v1::HubsService::service_full_name());
  ASSERT_TRUE(hubs_runner.ok()) << hubs_runner.status();
  m.hubs_runner = *std::move(hubs_runner);
  // scheduling
  auto sched_file = test::TempSqliteDatabase::Create();
  ASSERT_TRUE(sched_file.ok());
  m.sched_file = *std::move(sched_file);
  db_options.pool_size = 8;
  auto sched_db = db::Database::Open(m.sched_file->url(), db_options);
  ASSERT_TRUE(sched_db.ok()) << sched_db.status();
  m.sched_db = *std::move(sched_db);
  ASSERT_TRUE(scheduling::store::SqlSchedulingStore::Migrate(*m.sched_db).ok());
  m.sched_store = std::make_unique<scheduling::store::SqlSchedulingStore>(*m.sched_db, clock_);
  m.scheduler = std::make_unique<scheduling::Scheduler>(*m.sched_store, clock_);
  m.sched_cache = std::make_unique<redis::Cache>(*m.pool, redis::CacheOptions{"scheduling", "schedule"}, m.registry);
  m.sched_api = std::make_unique<scheduling::SchedulingApi>(*m.scheduler, *m.authenticator, m.sched_cache.get(),
                                                            &m.registry);
  auto sched_runner = ServeInProcess("scheduling", m.sched_api.get(),
                                     etnik::scheduling::v1::SchedulingService::service_full_name());
  ASSERT_TRUE(sched_runner.ok()) << sched_runner.status();
  m.sched_runner = *std::move(sched_runner);

  ASSERT_TRUE(m.registration.Start(clock_, *m.authenticator).ok());
  ASSERT_TRUE(m.notifications.Start(clock_, *m.authenticator, kUnsubscribeSecret).ok());

  m.targets = {{"hubs", absl::StrCat("127.0.0.1:", m.hubs_runner->grpc_port())},
               {"scheduling", absl::StrCat("127.0.0.1:", m.sched_runner->grpc_port())},
               {"registration", absl::StrCat("127.0.0.1:", m.registration.port())},
               {"notifications", absl::StrCat("127.0.0.1:", m.notifications.port())}};
  m.backends = std::make_unique<Backends>(m.targets);
  RestartGateway(Limits{});
}

void GatewayTest::LoseBackend(const std::string& service) {
  Impl& m = *impl_;
  client_.reset();
  m.http.reset();
  m.targets[service] = "127.0.0.1:1";
  m.backends = std::make_unique<Backends>(m.targets);
  RestartGateway(Limits{});
}

void GatewayTest::RestartGateway(Limits limits) {
  Impl& m = *impl_;
  client_.reset();
  m.http.reset();
  m.limiter.reset();
  m.gateway_registry = std::make_unique<prometheus::Registry>();
  RateLimitOptions rate;
  rate.limit = limits.rate_limit;
  rate.window = absl::Minutes(1);
  m.limiter = std::make_unique<RateLimiter>(m.pool.get(), clock_, rate, *m.gateway_registry);
  HttpOptions options;
  options.backend_deadline = absl::Seconds(10);
  options.max_body_bytes = limits.max_body_bytes;
  options.cors_origin = "https://etnik.example.org";
  m.http = std::make_unique<HttpServer>(*m.backends, *m.authenticator, *m.limiter, *m.gateway_registry, options);
  ASSERT_TRUE(m.http->Start("127.0.0.1:0").ok());
  port_ = m.http->port();
  client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client_->set_read_timeout(30, 0);
}

void GatewayTest::TearDown() {
  client_.reset();
  if (!impl_) return;
  Impl& m = *impl_;
  m.http.reset();
  if (m.sched_runner) m.sched_runner->Shutdown();
  if (m.hubs_runner) m.hubs_runner->Shutdown();
  impl_.reset();
}

std::string GatewayTest::Token(const std::string& subject, std::set<auth::Role> roles, std::set<std::string> hubs,
                               absl::Duration ttl) {
  auth::TokenClaims claims;
  claims.subject = subject;
  claims.roles = std::move(roles);
  claims.hub_ids = std::move(hubs);
  claims.issued_at = clock_.Now();
  claims.ttl = ttl;
  absl::StatusOr<std::string> token = auth::MintHs256Token(kSecret, claims);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

std::string GatewayTest::Expired() {
  auth::TokenClaims claims;
  claims.subject = "org-1";
  claims.roles = {auth::Role::kOrganiser};
  claims.issued_at = clock_.Now() - absl::Hours(2);
  claims.ttl = absl::Hours(1);
  absl::StatusOr<std::string> token = auth::MintHs256Token(kSecret, claims);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

httplib::Result GatewayTest::Send(const std::string& method, const std::string& path, const std::string& token,
                                  const std::string& body, httplib::Headers headers) {
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = std::move(headers);
  req.body = body;
  if (!body.empty() && !req.has_header("Content-Type")) req.set_header("Content-Type", "application/json");
  httplib::Result result = client_->send(req);
  EXPECT_TRUE(result) << method << " " << path << ": " << httplib::to_string(result.error());
  return result;
}

absl::Time GatewayTest::Msk(int y, int mo, int d, int h, int mi) {
  absl::TimeZone msk;
  absl::LoadTimeZone("Europe/Moscow", &msk);
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), msk);
}

void GatewayTest::SeedScheduling() {
  scheduling::StageWindow practice;
  practice.stage = "programmes/etnik-2021/stages/practice";
  practice.programme = kProgramme;
  practice.kind = 3;
  practice.title.ru = "Практика";
  practice.window = {Msk(2021, 4, 1, 0), Msk(2021, 11, 15, 0)};
  practice.time_zone = "Europe/Moscow";
  ASSERT_TRUE(impl_->scheduler->ApplyStage(practice).ok());
  for (const auto& [expert, hub] : std::vector<std::pair<std::string, std::string>>{
           {"experts/anna", "hubs/media"}, {"experts/ivan", "hubs/media"}, {"experts/olga", "hubs/crafts"}}) {
    scheduling::ExpertProfile p;
    p.expert = expert;
    p.full_name.ru = "Эксперт";
    p.time_zone = "Europe/Moscow";
    p.hubs = {hub};
    for (absl::Weekday d : {absl::Weekday::monday, absl::Weekday::tuesday, absl::Weekday::wednesday,
                            absl::Weekday::thursday, absl::Weekday::friday, absl::Weekday::saturday,
                            absl::Weekday::sunday}) {
      p.weekly.push_back({d, 0, 24 * 60});
    }
    ASSERT_TRUE(impl_->scheduler->ApplyExpert(p).ok());
  }
}

std::string JsonField(const std::string& json, std::initializer_list<std::string> path) {
  google::protobuf::Value value;
  if (!google::protobuf::util::JsonStringToMessage(json, &value).ok()) return "<not json>";
  const google::protobuf::Value* at = &value;
  for (const std::string& step : path) {
    if (at->kind_case() == google::protobuf::Value::kListValue) {
      size_t i = std::stoul(step);
      if (i >= static_cast<size_t>(at->list_value().values_size())) return "<missing>";
      at = &at->list_value().values(static_cast<int>(i));
      continue;
    }
    if (at->kind_case() != google::protobuf::Value::kStructValue || !at->struct_value().fields().count(step)) {
      return "<missing>";
    }
    at = &at->struct_value().fields().at(step);
  }
  if (at->kind_case() == google::protobuf::Value::kNumberValue) return absl::StrCat(at->number_value());
  if (at->kind_case() == google::protobuf::Value::kStringValue) return at->string_value();
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(*at, &out);
  return out;
}

}  // namespace etnik::gateway::testing
