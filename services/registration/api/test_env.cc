#include "services/registration/api/test_env.h"

#include "absl/strings/str_cat.h"
#include "common/auth/client_token.h"
#include "common/auth/jwt_config.h"
#include "common/auth/token_minter.h"
#include "common/db/migrations.h"
#include "common/outbox/outbox_rows.h"
#include "common/redis/redis_options.h"
#include "common/redis/redis_pool.h"
#include "common/server/server_runner.h"
#include "common/testing/postgres_server.h"
#include "common/testing/redis_server.h"
#include "common/testing/sqlite_temp_database.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "prometheus/registry.h"
#include "services/registration/api/registration_api.h"
#include "services/registration/store/schema.h"

namespace etnik::registration::testing {
namespace {

constexpr char kSecret[] = "a-test-secret-of-more-than-32-bytes-for-hs256";

}  // namespace

// Declared in destruction-safe order: the server goes first, the database files last.
struct TestEnv::Parts {
  std::unique_ptr<test::TempSqliteDatabase> sqlite;
  std::unique_ptr<test::TempPostgresDatabase> postgres;
  std::unique_ptr<test::RedisServer> redis_server;
  std::unique_ptr<db::Database> database;
  std::shared_ptr<prometheus::Registry> registry;
  std::unique_ptr<redis::RedisPool> redis_pool;
  std::unique_ptr<redis::Cache> cache;
  std::unique_ptr<auth::Authenticator> authenticator;
  std::unique_ptr<ServiceContext> context;
  std::unique_ptr<RegistrationApi> api;
  std::unique_ptr<server::ServerRunner> runner;
};

TestEnv::TestEnv() : parts_(std::make_unique<Parts>()) {}

TestEnv::~TestEnv() {
  stub_.reset();
  if (parts_->runner) parts_->runner->Shutdown();
  parts_->runner.reset();
  parts_->api.reset();
  parts_->context.reset();
  parts_->cache.reset();
  parts_->redis_pool.reset();
  parts_->database.reset();
}

absl::StatusOr<std::unique_ptr<TestEnv>> TestEnv::Create(db::Engine engine, absl::Time start) {
  std::unique_ptr<TestEnv> env(new TestEnv());
  env->clock_.Set(start);
  Parts& p = *env->parts_;
  std::string url;
  if (engine == db::Engine::kSqlite) {
    absl::StatusOr<std::unique_ptr<test::TempSqliteDatabase>> file = test::TempSqliteDatabase::Create();
    if (!file.ok()) return file.status();
    p.sqlite = *std::move(file);
    url = p.sqlite->url();
  } else {
    absl::StatusOr<std::unique_ptr<test::TempPostgresDatabase>> pg = test::TempPostgresDatabase::Create();
    if (!pg.ok()) return pg.status();
    p.postgres = *std::move(pg);
    url = p.postgres->url();
  }
  db::DatabaseOptions db_options;
  db_options.clock = &env->clock_;
  db_options.pool_size = 16;
  absl::StatusOr<std::unique_ptr<db::Database>> database = db::Database::Open(url, db_options);
  if (!database.ok()) return database.status();
  p.database = *std::move(database);
  absl::StatusOr<int> version = db::ApplyMigrations(*p.database, store::RegistrationMigrations());
  if (!version.ok()) return version.status();

  absl::StatusOr<std::unique_ptr<test::RedisServer>> redis = test::RedisServer::Launch();
  if (!redis.ok()) return redis.status();
  p.redis_server = *std::move(redis);
  absl::StatusOr<redis::RedisOptions> redis_options = redis::ParseRedisUrl(p.redis_server->url());
  if (!redis_options.ok()) return redis_options.status();
  p.registry = std::make_shared<prometheus::Registry>();
  p.redis_pool = std::make_unique<redis::RedisPool>(*redis_options, env->clock_, *p.registry);
  redis::CacheOptions cache_options;
  cache_options.service = "registration";
  cache_options.name = "public";
  p.cache = std::make_unique<redis::Cache>(*p.redis_pool, cache_options, *p.registry);

  auth::JwtConfig jwt;
  jwt.hs256_secret = kSecret;
  absl::StatusOr<auth::Authenticator> authenticator = auth::Authenticator::Create(jwt, env->clock_);
  if (!authenticator.ok()) return authenticator.status();
  p.authenticator = std::make_unique<auth::Authenticator>(*std::move(authenticator));
  p.context = std::unique_ptr<ServiceContext>(
      new ServiceContext{*p.database, env->clock_, *p.authenticator, p.cache.get(), absl::Minutes(5), {}});
  p.api = std::make_unique<RegistrationApi>(*p.context);

  server::ServerOptions options;
  options.name = "registration";
  options.metrics_address = "";
  p.runner = std::make_unique<server::ServerRunner>(options);
  p.runner->AddService(p.api.get(), v1::RegistrationService::service_full_name());
  if (absl::Status s = p.runner->Start(); !s.ok()) return s;
  env->stub_ = v1::RegistrationService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", p.runner->grpc_port()), grpc::InsecureChannelCredentials()));
  return env;
}

db::Database& TestEnv::database() { return *parts_->database; }
ServiceContext& TestEnv::context() { return *parts_->context; }
redis::Cache& TestEnv::cache() { return *parts_->cache; }

absl::StatusOr<std::string> TestEnv::Redis(std::initializer_list<std::string> args) {
  return parts_->redis_server->Execute(args);
}

absl::StatusOr<std::vector<etnik::events::v1::DomainEvent>> TestEnv::PendingEvents() {
  std::vector<etnik::events::v1::DomainEvent> out;
  absl::Status status = database().InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    out.clear();
    absl::StatusOr<std::vector<outbox::OutboxRow>> rows = outbox::FetchPending(s, 100000);
    if (!rows.ok()) return rows.status();
    for (const outbox::OutboxRow& row : *rows) {
      if (!out.emplace_back().ParseFromString(row.message.payload)) {
        return absl::DataLossError("an outbox row does not hold a DomainEvent");
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

std::string TestEnv::Token(const std::string& subject, std::set<auth::Role> roles) {
  auth::TokenClaims claims;
  claims.subject = subject;
  claims.roles = std::move(roles);
  // Valid for the FakeClock's years: tokens are checked against it.
  claims.issued_at = absl::FromUnixSeconds(1577836800);  // 2020-01-01
  claims.ttl = absl::Hours(24 * 365 * 3);
  absl::StatusOr<std::string> token = auth::MintHs256Token(kSecret, claims);
  return token.ok() ? *token : "";
}

std::unique_ptr<grpc::ClientContext> TestEnv::Ctx(const std::string& token, const std::string& language) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  if (!token.empty()) auth::AttachBearerToken(*ctx, token);
  if (!language.empty()) ctx->AddMetadata("accept-language", language);
  return ctx;
}

}  // namespace etnik::registration::testing
