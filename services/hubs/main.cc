// The hubs service: flags -> wiring -> serve.

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/config/config.h"
#include "common/db/migrations.h"
#include "common/log/log.h"
#include "common/server/server_flags.h"
#include "common/server/server_runner.h"
#include "common/server/service_deps.h"
#include "services/hubs/api/hubs_api.h"
#include "services/hubs/cache/redis_catalogue_cache.h"
#include "services/hubs/domain/hubs_use_cases.h"
#include "services/hubs/store/local_outbox.h"
#include "services/hubs/store/schema.h"
#include "services/hubs/store/sql_hubs_store.h"

ABSL_FLAG(absl::Duration, catalogue_cache_ttl, absl::Minutes(5),
          "How long a cached public catalogue answer lives in Redis. Changes invalidate it at once; "
          "the TTL only bounds staleness in other replicas while Redis cannot be reached.");

int main(int argc, char** argv) {
  etnik::server::BlockTerminationSignals();
  etnik::config::ParseFlags(argc, argv);
  etnik::log::SetServiceName("hubs");
  etnik::server::ServerRunner runner(etnik::server::OptionsFromFlags("hubs", 50052, 9102));
  const etnik::Clock& clock = etnik::SystemClock::Get();
  absl::StatusOr<etnik::server::ServiceDeps> deps =
      etnik::server::ServiceDepsFromFlags("hubs", clock, runner.registry());
  if (!deps.ok()) {
    etnik::log::Error("cannot start", {{"error", std::string(deps.status().message())}});
    return 1;
  }
  namespace store = etnik::hubs::store;
  absl::StatusOr<int> schema = etnik::db::ApplyMigrations(
      *deps->database, store::HubsMigrations({store::LocalOutboxWriter::CreateMigration(2)}));
  if (!schema.ok()) {
    etnik::log::Error("cannot migrate the database", {{"error", std::string(schema.status().message())}});
    return 1;
  }
  store::LocalOutboxWriter events;
  store::SqlHubsStore hubs_store(*deps->database, events);
  etnik::hubs::RedisCatalogueCache cache(*deps->redis, runner.registry(), absl::GetFlag(FLAGS_catalogue_cache_ttl));
  etnik::hubs::HubsUseCases use_cases(hubs_store, cache, clock);
  etnik::hubs::HubsApi api(deps->authenticator, use_cases);
  runner.AddService(&api, etnik::hubs::v1::HubsService::service_full_name());
  return etnik::server::ServeUntilSignal(runner);
}
