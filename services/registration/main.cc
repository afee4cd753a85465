// The registration service: flags -> wiring -> serve.

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/config/config.h"
#include "common/db/migrations.h"
#include "common/log/log.h"
#include "common/outbox/outbox_relay.h"
#include "common/redis/cache.h"
#include "common/server/server_flags.h"
#include "common/server/server_runner.h"
#include "common/server/service_deps.h"
#include "services/registration/api/offer_sweeper.h"
#include "services/registration/api/registration_api.h"
#include "services/registration/api/service_context.h"
#include "services/registration/store/schema.h"

ABSL_FLAG(absl::Duration, public_cache_ttl, absl::Minutes(5),
          "How long a cached public read (programme, programme list, form) lives in Redis. Changes "
          "invalidate it at once; the TTL only bounds staleness in other replicas while Redis is down.");
ABSL_FLAG(absl::Duration, offer_sweep_interval, absl::Seconds(30),
          "How often offers past their reply deadline are expired.");

namespace {

int Fail(const char* what, const absl::Status& status) {
  etnik::log::Error(what, {{"error", std::string(status.message())}});
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  namespace registration = etnik::registration;
  etnik::server::BlockTerminationSignals();
  etnik::config::ParseFlags(argc, argv);
  etnik::log::SetServiceName("registration");
  etnik::server::ServerRunner runner(etnik::server::OptionsFromFlags("registration", 50051, 9101));
  const etnik::Clock& clock = etnik::SystemClock::Get();
  absl::StatusOr<etnik::server::ServiceDeps> deps =
      etnik::server::ServiceDepsFromFlags("registration", clock, runner.registry());
  if (!deps.ok()) return Fail("cannot start", deps.status());
  absl::StatusOr<int> schema =
      etnik::db::ApplyMigrations(*deps->database, registration::store::RegistrationMigrations());
  if (!schema.ok()) return Fail("cannot migrate the database", schema.status());

  // Our events: written with each change, published to etnik:events:registration by the relay.
  etnik::outbox::OutboxRelay relay(*deps->database, *deps->redis, clock, runner.registry());
  etnik::redis::CacheOptions cache_options;
  cache_options.service = "registration";
  cache_options.name = "public";
  etnik::redis::Cache cache(*deps->redis, cache_options, runner.registry());

  registration::ServiceContext context{*deps->database, clock, deps->authenticator, &cache,
                                       absl::GetFlag(FLAGS_public_cache_ttl), [&relay] { relay.Notify(); }};
  registration::RegistrationApi api(context);
  runner.AddService(&api, etnik::registration::v1::RegistrationService::service_full_name());
  registration::OfferSweeper sweeper(context, absl::GetFlag(FLAGS_offer_sweep_interval));

  if (absl::Status s = relay.Start(); !s.ok()) return Fail("cannot start the outbox relay", s);
  if (absl::Status s = sweeper.Start(); !s.ok()) return Fail("cannot start the offer sweeper", s);
  const int code = etnik::server::ServeUntilSignal(runner);
  sweeper.Stop();
  relay.Stop();
  return code;
}
