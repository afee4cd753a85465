// The hubs service: flags -> wiring -> serve.

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/config/config.h"
#include "common/db/migrations.h"
#include "common/log/log.h"
#include "common/outbox/outbox_relay.h"
#include "common/outbox/stream_consumer.h"
#include "common/server/server_flags.h"
#include "common/server/server_runner.h"
#include "common/server/service_deps.h"
#include "services/hubs/api/hubs_api.h"
#include "services/hubs/cache/redis_catalogue_cache.h"
#include "services/hubs/domain/hubs_use_cases.h"
#include "services/hubs/store/outbox_events.h"
#include "services/hubs/store/schema.h"
#include "services/hubs/store/sql_hubs_store.h"

ABSL_FLAG(absl::Duration, catalogue_cache_ttl, absl::Minutes(5),
          "How long a cached public catalogue answer lives in Redis. Changes invalidate it at once; "
          "the TTL only bounds staleness in other replicas while Redis cannot be reached.");

namespace {

int Fail(const char* what, const absl::Status& status) {
  etnik::log::Error(what, {{"error", std::string(status.message())}});
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  namespace outbox = etnik::outbox;
  namespace store = etnik::hubs::store;
  etnik::server::BlockTerminationSignals();
  etnik::config::ParseFlags(argc, argv);
  etnik::log::SetServiceName("hubs");
  etnik::server::ServerRunner runner(etnik::server::OptionsFromFlags("hubs", 50052, 9102));
  const etnik::Clock& clock = etnik::SystemClock::Get();
  absl::StatusOr<etnik::server::ServiceDeps> deps =
      etnik::server::ServiceDepsFromFlags("hubs", clock, runner.registry());
  if (!deps.ok()) return Fail("cannot start", deps.status());
  absl::StatusOr<int> schema = etnik::db::ApplyMigrations(*deps->database, store::HubsMigrations());
  if (!schema.ok()) return Fail("cannot migrate the database", schema.status());

  // Our events: written with each change, published to etnik:events:hubs by the relay.
  outbox::OutboxRelay relay(*deps->database, *deps->redis, clock, runner.registry());
  store::OutboxEventWriter events;
  store::SqlHubsStore hubs_store(*deps->database, events, [&relay] { relay.Notify(); });
  // Registration's events: confirmed participants and the programme's targets.
  outbox::StreamConsumerOptions consumer_options;
  consumer_options.stream = store::kRegistrationEventStream;
  consumer_options.group = store::kConsumerGroup;
  consumer_options.consumer = outbox::DefaultConsumerName();
  outbox::StreamConsumer registration_events(*deps->database, *deps->redis, clock, runner.registry(),
                                             consumer_options, store::RegistrationEventHandler(hubs_store));

  etnik::hubs::RedisCatalogueCache cache(*deps->redis, runner.registry(), absl::GetFlag(FLAGS_catalogue_cache_ttl));
  etnik::hubs::HubsUseCases use_cases(hubs_store, cache, clock);
  etnik::hubs::HubsApi api(deps->authenticator, use_cases);
  runner.AddService(&api, etnik::hubs::v1::HubsService::service_full_name());

  if (absl::Status s = relay.Start(); !s.ok()) return Fail("cannot start the outbox relay", s);
  if (absl::Status s = registration_events.Start(); !s.ok()) return Fail("cannot start the event consumer", s);
  const int code = etnik::server::ServeUntilSignal(runner);
  registration_events.Stop();
  relay.Stop();
  return code;
}
