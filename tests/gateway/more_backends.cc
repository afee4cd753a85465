#include "tests/gateway/more_backends.h"

#include "common/db/database.h"
#include "common/db/migrations.h"
#include "common/testing/sqlite_temp_database.h"
#include "etnik/notifications/v1/notifications_service.grpc.pb.h"
#include "etnik/registration/v1/registration_service.grpc.pb.h"
#include "services/notifications/api/notifications_api.h"
#include "services/notifications/domain/default_templates.h"
#include "services/notifications/store/schema.h"
#include "services/notifications/store/templates.h"
#include "services/registration/api/registration_api.h"
#include "services/registration/api/service_context.h"
#include "services/registration/store/schema.h"

namespace etnik::gateway::testing {

namespace {

struct SqliteService {
  std::unique_ptr<test::TempSqliteDatabase> file;
  std::unique_ptr<db::Database> db;
  std::unique_ptr<server::ServerRunner> runner;

  absl::Status Open(const Clock& clock, const std::vector<db::Migration>& migrations) {
    absl::StatusOr<std::unique_ptr<test::TempSqliteDatabase>> f = test::TempSqliteDatabase::Create();
    if (!f.ok()) return f.status();
    file = *std::move(f);
    db::DatabaseOptions options;
    options.clock = &clock;
    options.pool_size = 4;
    absl::StatusOr<std::unique_ptr<db::Database>> d = db::Database::Open(file->url(), options);
    if (!d.ok()) return d.status();
    db = *std::move(d);
    return db::ApplyMigrations(*db, migrations).status();
  }

  absl::Status Serve(const char* name, grpc::Service* service, const std::string& full_name) {
    absl::StatusOr<std::unique_ptr<server::ServerRunner>> started = ServeInProcess(name, service, full_name);
    if (!started.ok()) return started.status();
    runner = *std::move(started);
    return absl::OkStatus();
  }

  ~SqliteService() {
    if (runner) runner->Shutdown();
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<server::ServerRunner>> ServeInProcess(const char* name, grpc::Service* service,
                                                                      const std::string& full_name) {
  server::ServerOptions options;
  options.name = name;
  options.metrics_address = "";
  options.shutdown_grace = absl::Seconds(1);
  auto runner = std::make_unique<server::ServerRunner>(options);
  runner->AddService(service, full_name);
  if (absl::Status s = runner->Start(); !s.ok()) return s;
  return runner;
}

struct RegistrationBackend::Impl {
  std::unique_ptr<registration::ServiceContext> context;
  std::unique_ptr<registration::RegistrationApi> api;
  SqliteService service;  // declared last: shut down before the API it serves goes away
};

RegistrationBackend::RegistrationBackend() = default;
RegistrationBackend::~RegistrationBackend() = default;

absl::Status RegistrationBackend::Start(const Clock& clock, const auth::Authenticator& authenticator) {
  impl_ = std::make_unique<Impl>();
  if (absl::Status s = impl_->service.Open(clock, registration::store::RegistrationMigrations()); !s.ok()) return s;
  impl_->context = std::make_unique<registration::ServiceContext>(
      registration::ServiceContext{*impl_->service.db, clock, authenticator, nullptr, absl::Minutes(5), nullptr});
  impl_->api = std::make_unique<registration::RegistrationApi>(*impl_->context);
  return impl_->service.Serve("registration", impl_->api.get(),
                              etnik::registration::v1::RegistrationService::service_full_name());
}

int RegistrationBackend::port() const { return impl_->service.runner->grpc_port(); }

struct NotificationsBackend::Impl {
  std::unique_ptr<notifications::NotificationsApi> api;
  SqliteService service;
};

NotificationsBackend::NotificationsBackend() = default;
NotificationsBackend::~NotificationsBackend() = default;

absl::Status NotificationsBackend::Start(const Clock& clock, const auth::Authenticator& authenticator,
                                         std::string unsubscribe_secret) {
  impl_ = std::make_unique<Impl>();
  if (absl::Status s = impl_->service.Open(clock, notifications::store::NotificationsMigrations()); !s.ok()) return s;
  absl::StatusOr<int> seeded =
      notifications::store::SeedTemplates(*impl_->service.db, notifications::DefaultTemplates(), clock.Now());
  if (!seeded.ok()) return seeded.status();
  impl_->api = std::make_unique<notifications::NotificationsApi>(authenticator, *impl_->service.db, clock,
                                                                 std::move(unsubscribe_secret));
  return impl_->service.Serve("notifications", impl_->api.get(),
                              etnik::notifications::v1::NotificationsService::service_full_name());
}

int NotificationsBackend::port() const { return impl_->service.runner->grpc_port(); }

}  // namespace etnik::gateway::testing
